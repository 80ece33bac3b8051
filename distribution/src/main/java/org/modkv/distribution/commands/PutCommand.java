package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.modkv.client.ModkvClient;
import org.modkv.client.Txn;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "put", description = {"Store VALUE under KEY; prints OK once the write is durable.",
    "With a condition, writes only if it holds; otherwise prints why on stderr, writes nothing, exit status 1."})
final class PutCommand implements ClientCommand {
    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text).")
    String key;
    @Parameters(index = "1", paramLabel = "VALUE", description = "The value (UTF-8 text).")
    String value;
    @Option(names = "--ttl", paramLabel = "TTL", converter = TtlOption.class,
            description = "Expire the key after TTL: a number with unit ms, s (default), m, h or d, e.g. 30s.")
    Duration ttl;
    @ArgGroup(exclusive = true)
    Condition condition;

    static final class Condition {
        @Option(names = "--if-absent", description = "Only if KEY does not exist (Redis SET NX).")
        boolean absent;
        @Option(names = "--if-present", description = "Only if KEY exists (Redis SET XX).")
        boolean present;
        @Option(names = "--if-version", paramLabel = "N",
                description = "Only if KEY has version N (from 'get --show-version'): compare-and-set.")
        Long version;
    }

    @Override
    public void validate() {
        if (condition != null && condition.version != null && condition.version < 0) {
            throw new ParameterException(spec.commandLine(), "--if-version takes a version >= 0, not " + condition.version);
        }
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        Duration expiry = ttl == null ? Duration.ZERO : ttl;
        if (condition == null) {
            client.put(k, v, expiry);
            out.println("OK");
            return ExitStatus.OK;
        }
        Txn txn = client.txn();
        String unmet;
        if (condition.absent) {
            txn.ifAbsent(k);
            unmet = "exists";
        } else if (condition.present) {
            txn.ifPresent(k);
            unmet = "does not exist";
        } else {
            txn.ifVersion(k, condition.version);
            unmet = "does not have version " + condition.version;
        }
        var result = txn.put(k, v, expiry).commit();
        if (!result.applied()) {
            err.println("not written: " + key + " " + unmet);
            return ExitStatus.NOT_FOUND;
        }
        out.println("OK version=" + result.version());
        return ExitStatus.OK;
    }
}
