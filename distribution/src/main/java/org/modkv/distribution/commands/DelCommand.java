package org.modkv.distribution.commands;

import java.io.PrintWriter;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "del", description = "Delete KEY; exit status 1 if it did not exist.")
final class DelCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
    String key;

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        if (!client.delete(key)) {
            err.println("not found: " + key);
            return ExitStatus.NOT_FOUND;
        }
        out.println("OK");
        return ExitStatus.OK;
    }
}
