package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "incr", description = {"Add to the integer counter at KEY (absent counts as 0), atomically;",
    "prints the new value. A value that is not an integer is an error and is left as it is."})
final class IncrCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
    String key;
    @Option(names = "--by", paramLabel = "N", defaultValue = "1", description = "The amount, may be negative "
            + "(default ${DEFAULT-VALUE}).")
    long by;

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        out.println(client.increment(key.getBytes(StandardCharsets.UTF_8), by));
        return ExitStatus.OK;
    }
}
