package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.modkv.client.ModkvClient;
import org.modkv.client.VersionedEntry;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Print the value of KEY; exit status 1 if there is none.")
final class GetCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
    String key;
    @Option(names = "--show-version", description = "Print 'version=N' (for put --if-version) and "
            + "'expires_at_ms=T' when it expires, on lines after the value.")
    boolean showVersion;

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        if (showVersion) {
            Optional<VersionedEntry> entry = client.getVersioned(key.getBytes(StandardCharsets.UTF_8));
            if (entry.isEmpty()) {
                return notFound(err);
            }
            out.println(new String(entry.get().value(), StandardCharsets.UTF_8));
            out.println("version=" + entry.get().version());
            if (entry.get().expiresAtMillis() != 0) {
                out.println("expires_at_ms=" + entry.get().expiresAtMillis());
            }
            return ExitStatus.OK;
        }
        Optional<String> value = client.get(key);
        if (value.isEmpty()) {
            return notFound(err);
        }
        out.println(value.get());
        return ExitStatus.OK;
    }

    private int notFound(PrintWriter err) {
        err.println("not found: " + key);
        return ExitStatus.NOT_FOUND;
    }
}
