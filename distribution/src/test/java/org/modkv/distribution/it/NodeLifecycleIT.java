package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A node from the packaged launcher, driven by the one-shot commands: the contract in docs/design/config-and-cli.md. */
class NodeLifecycleIT {
    @TempDir
    Path dir;

    @Test
    void startsWithoutConfigAndServesPutGetDel() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"))) {
            assertTrue(node.readyLine().matches("modkv ready node=node1 tcp=127\\.0\\.0\\.1:\\d+( .*)?"),
                    node.readyLine());
            String tcp = node.tcp();

            Cli.Result put = Cli.modkv("put", "k", "v", "--connect", tcp);
            assertEquals(0, put.status(), put::toString);
            assertEquals("OK\n", put.out(), put::toString);

            Cli.Result get = Cli.modkv("get", "k", "--connect", tcp);
            assertEquals(0, get.status(), get::toString);
            assertEquals("v\n", get.out(), get::toString);

            Cli.Result del = Cli.modkv("del", "k", "--connect", tcp);
            assertEquals(0, del.status(), del::toString);

            Cli.Result gone = Cli.modkv("get", "k", "--connect", tcp);
            assertEquals(1, gone.status(), gone::toString);
            assertEquals("", gone.out(), gone::toString);
            assertTrue(gone.err().contains("not found: k"), gone::toString);

            Cli.Result delAgain = Cli.modkv("del", "k", "--connect", tcp);
            assertEquals(1, delAgain.status(), delAgain::toString);
        }
    }

    /**
     * The native I/O jars sit in the transports' plugin directories, where nothing requires
     * them by name; Netty falls back to NIO without a word if the plugin layer leaves them out.
     */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void transportsServeThroughANativeIoBackendOnLinux() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"))) {
            String log = node.stderr();
            for (String transport : new String[] {"tcp", "RESP"}) {
                assertTrue(Pattern.compile(transport + " transport listening on \\S+ \\((io_uring|epoll), ").matcher(log)
                        .find(), log);
            }
        }
    }

    @Test
    void bulkWritesEveryEntryAndStatsReport() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"))) {
            String tcp = node.tcp();
            Cli.Result bulk = Cli.modkv("bulk", "a=1", "b=x=y", "c=", "--connect", tcp);
            assertEquals(0, bulk.status(), bulk::toString);
            assertEquals("1\n", Cli.modkv("get", "a", "-c", tcp).out());
            assertEquals("x=y\n", Cli.modkv("get", "b", "-c", tcp).out());
            Cli.Result empty = Cli.modkv("get", "c", "-c", tcp);
            assertEquals(0, empty.status(), empty::toString);
            assertEquals("\n", empty.out());

            Cli.Result stats = Cli.modkv("stats", "-c", tcp);
            assertEquals(0, stats.status(), stats::toString);
            assertTrue(stats.out().startsWith("["), stats::toString);
        }
    }

    @Test
    void stopsCleanlyOnSigtermAndKeepsItsData() throws Exception {
        Path data = dir.resolve("data");
        try (NodeProcess node = NodeProcess.start(data)) {
            assertEquals(0, Cli.modkv("put", "kept", "yes", "-c", node.tcp()).status());
            int status = node.stop();
            assertFalse(node.isAlive());
            assertEquals(128 + 15, status, "a JVM ended by SIGTERM after its shutdown hooks exits 143");
        }
        try (NodeProcess again = NodeProcess.start(data)) {
            Cli.Result get = Cli.modkv("get", "kept", "-c", again.tcp());
            assertEquals("yes\n", get.out(), get::toString);
        }
    }

    @Test
    void queryWithoutTheIndexIsAnErrorNamingIt() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), "--set", "indexes=")) {
            Cli.Result search = Cli.modkv("search", "fox", "-c", node.tcp());
            assertEquals(2, search.status(), search::toString);
            assertTrue(search.err().startsWith("modkv: ") && search.err().contains("fulltext"), search::toString);
        }
    }
}
