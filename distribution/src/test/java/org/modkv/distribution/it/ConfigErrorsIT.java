package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.config.ConfigKey;
import org.modkv.node.PluginCatalog;

/** A config the node cannot use stops it with one line on stderr that names the problem (docs/design/config-and-cli.md). */
class ConfigErrorsIT {
    @TempDir
    Path dir;

    private Cli.Result node(String... settings) throws Exception {
        List<String> args = new ArrayList<>(List.of("node", "--set", "tcp.listen=127.0.0.1:0",
                "--set", "data.dir=" + dir.resolve("data")));
        for (String setting : settings) {
            args.add("--set");
            args.add(setting);
        }
        return Cli.modkv(args.toArray(String[]::new));
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() throws Exception {
        Cli.Result run = node("no.such.key=1");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("no.such.key"), run::toString);
        assertTrue(run.err().contains("did you mean") || run.err().contains("modkv plugins"), run::toString);
        assertEquals("", run.out(), "no ready line for a node that does not start");
    }

    @Test
    void misspelledKeyGetsTheClosestKnownKey() throws Exception {
        Cli.Result run = node("tcp.lissten=127.0.0.1:0");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("tcp.lissten") && run.err().contains("tcp.listen"), run::toString);
    }

    @Test
    void unknownStoragePluginListsThePluginsFound() throws Exception {
        Cli.Result run = node("storage=nosuch");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("nosuch") && run.err().contains("wal"), run::toString);
    }

    @Test
    void badValueSaysWhatIsAllowed() throws Exception {
        Cli.Result run = node("node.max.key.bytes=lots");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("node.max.key.bytes") && run.err().contains("lots"), run::toString);
    }

    @Test
    void raftOnAStorageWithoutADurableLogSaysWhichStorageToUse() throws Exception {
        Cli.Result run = node("replication=raft", "storage=perkey", "resp.listen=127.0.0.1:0", "metrics.listen=off");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("replication=raft") && run.err().contains("storage=wal"), run::toString);
        assertEquals("", run.out(), "no ready line for a node that does not start");
    }

    @Test
    void aRaftHeartbeatTooCloseToTheElectionTimeoutIsRefusedSayingWhy() throws Exception {
        Cli.Result run = node("replication=raft", "raft.election.timeout.ms=500", "raft.heartbeat.interval.ms=300",
                "resp.listen=127.0.0.1:0", "metrics.listen=off");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("raft.heartbeat.interval.ms (300) must be at most half of raft.election.timeout.ms (500)"),
                run::toString);
    }

    @Test
    void aBadPeerListNamesTheEntryAndTheFormat() throws Exception {
        Cli.Result run = node("replication=raft", "tcp.peers=n1=127.0.0.1:7380,n2");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("tcp.peers") && run.err().contains("'n2'") && run.err().contains("id=host:port"),
                run::toString);
    }

    @Test
    void missingConfigFileIsNamed() throws Exception {
        Path missing = dir.resolve("nowhere.properties");
        Cli.Result run = Cli.modkv("node", "--config", missing.toString());
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains(missing.toString()), run::toString);
    }

    @Test
    void pluginsListsWalAndTcpWithEveryKeyAndDefault() throws Exception {
        Cli.Result run = Cli.modkv("plugins");
        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("  wal - ") && run.out().contains("module org.modkv.storage.wal"), run::toString);
        assertTrue(run.out().contains("  tcp - ") && run.out().contains("module org.modkv.transport.tcp"),
                run::toString);
        Map<String, String> keys = SampleConfigKeys.fromLauncher();
        for (String prefix : List.of("wal.", "tcp.")) {
            assertTrue(keys.keySet().stream().anyMatch(k -> k.startsWith(prefix)), "no " + prefix + "* keys in " + keys);
        }
        for (Map.Entry<String, String> key : keys.entrySet()) {
            String shown = key.getValue().isEmpty() ? "(empty)" : key.getValue();
            assertTrue(run.out().contains("  " + key.getKey() + " = " + shown + "    ("),
                    key.getKey() + " with its default missing from:\n" + run.out());
        }
        for (ConfigKey<?> key : PluginCatalog.kernelSchema().keys()) {
            assertTrue(keys.containsKey(key.name()), key.name() + " missing from the sample config");
        }
    }
}
