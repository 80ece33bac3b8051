package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.util.Map;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "stats", description = "Print the node's figures, section by section.")
final class StatsCommand implements ClientCommand {
    @Mixin
    HelpOption help;

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        Map<String, Map<String, String>> sections = client.stats();
        boolean first = true;
        for (Map.Entry<String, Map<String, String>> section : sections.entrySet()) {
            if (!first) {
                out.println();
            }
            first = false;
            out.println("[" + section.getKey() + "]");
            int width = Math.max(1, section.getValue().keySet().stream().mapToInt(String::length).max().orElse(1));
            for (Map.Entry<String, String> entry : section.getValue().entrySet()) {
                out.printf("%-" + width + "s  %s%n", entry.getKey(), entry.getValue());
            }
        }
        return ExitStatus.OK;
    }
}
