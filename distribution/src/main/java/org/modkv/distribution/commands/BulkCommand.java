package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.modkv.client.KeyValue;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bulk", description = "Store several keys atomically: all of them, or on failure none.")
final class BulkCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "KEY=VALUE", description = "Entries; the key ends at the first '='.")
    List<String> entries;

    private List<KeyValue> batch;

    /** Splits every entry at its first {@code =}; the value may be empty, the key may not. */
    @Override
    public void validate() {
        batch = new ArrayList<>(entries.size());
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "'" + entry
                        + "' is not KEY=VALUE (the key ends at the first '=' and must not be empty)");
            }
            batch.add(new KeyValue(entry.substring(0, eq).getBytes(StandardCharsets.UTF_8),
                    entry.substring(eq + 1).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        client.bulkPut(batch);
        out.println("OK");
        return ExitStatus.OK;
    }
}
