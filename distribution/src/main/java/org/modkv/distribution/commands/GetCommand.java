package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.util.Optional;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Print the value of KEY; exit status 1 if there is none.")
final class GetCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
    String key;

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        Optional<String> value = client.get(key);
        if (value.isEmpty()) {
            err.println("not found: " + key);
            return ExitStatus.NOT_FOUND;
        }
        out.println(value.get());
        return ExitStatus.OK;
    }
}
