package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "del", description = {"Delete KEY; exit status 1 if it did not exist.",
    "With --if-version, deletes only if KEY has that version; otherwise exit status 1."})
final class DelCommand implements ClientCommand {
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
    String key;
    @Option(names = "--if-version", paramLabel = "N",
            description = "Only if KEY has version N (from 'get --show-version').")
    Long version;

    @Override
    public void validate() {
        if (version != null && version < 0) {
            throw new ParameterException(spec.commandLine(), "--if-version takes a version >= 0, not " + version);
        }
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        if (version != null) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            if (!client.txn().ifVersion(k, version).delete(k).commit().applied()) {
                err.println("not deleted: " + key + " does not exist with version " + version);
                return ExitStatus.NOT_FOUND;
            }
        } else if (!client.delete(key)) {
            err.println("not found: " + key);
            return ExitStatus.NOT_FOUND;
        }
        out.println("OK");
        return ExitStatus.OK;
    }
}
