package org.modkv.distribution.commands;

import java.io.PrintWriter;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "find-value", description = "Print the keys whose value is exactly VALUE (fulltext index).")
final class FindValueCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "VALUE", description = "The whole value to look for.")
    String value;

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        HitPrinter.print(client.findValue(value), false, out, err);
        return ExitStatus.OK;
    }
}
