package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.modkv.client.KeyPage;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "scan", description = {"Print keys in byte order, one 'KEY<TAB>VALUE' per line (or KEY with --keys-only).",
    "Pages through the node with a cursor: a key never comes twice, whatever is written meanwhile."})
final class ScanCommand implements ClientCommand {
    /** Keys asked per request. */
    static final int PAGE = 1000;

    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;
    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "Only keys starting with P.")
    String prefix;
    @Option(names = "--limit", paramLabel = "N", description = "Print at most N keys (default: all).")
    Integer limit;
    @Option(names = "--keys-only", description = "Print the keys without their values.")
    boolean keysOnly;

    @Override
    public void validate() {
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] end = ModkvClient.prefixEnd(start);
        long left = limit == null ? Long.MAX_VALUE : limit;
        while (left > 0) {
            KeyPage page = client.range(start, end, (int) Math.min(PAGE, left), keysOnly);
            for (KeyPage.Entry entry : page.entries()) {
                String key = new String(entry.key(), StandardCharsets.UTF_8);
                out.println(keysOnly ? key : key + "\t" + new String(entry.value(), StandardCharsets.UTF_8));
            }
            left -= page.entries().size();
            if (page.next().isEmpty()) {
                break;
            }
            start = page.next().get();
        }
        return ExitStatus.OK;
    }
}
