package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "expire", description = {"Make KEY expire after TTL, keeping its value, or with --persist never;",
    "exit status 1 if KEY does not exist (or, with --persist, has no expiry)."})
final class ExpireCommand implements ClientCommand {
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
    String key;
    @Parameters(index = "1", paramLabel = "TTL", arity = "0..1", converter = TtlOption.class,
            description = "A number with unit ms, s (default), m, h or d, e.g. 30s.")
    Duration ttl;
    @Option(names = "--persist", description = "Remove the expiry instead.")
    boolean persist;

    @Override
    public void validate() {
        if (persist == (ttl != null)) {
            throw new ParameterException(spec.commandLine(), "give either a TTL or --persist");
        }
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        boolean changed = persist ? client.persist(k) : client.expire(k, ttl);
        if (!changed) {
            err.println(persist ? "not changed: " + key + " does not exist or has no expiry" : "not found: " + key);
            return ExitStatus.NOT_FOUND;
        }
        out.println("OK");
        return ExitStatus.OK;
    }
}
