package org.modkv.distribution.commands;

import java.io.PrintWriter;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "put", description = "Store VALUE under KEY; prints OK once the write is durable.")
final class PutCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
    String key;
    @Parameters(index = "1", paramLabel = "VALUE", description = "The value (UTF-8 text).")
    String value;

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        client.put(key, value);
        out.println("OK");
        return ExitStatus.OK;
    }
}
