package org.modkv.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The command line in-process: parsing, usage errors, exit statuses; no node needed. */
class ModkvCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run modkv(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ModkvCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void versionNamesTheBuildVersion() {
        Run run = modkv("--version");
        assertEquals(ExitStatus.OK, run.status(), run.err());
        assertTrue(run.out().startsWith("modkv " + System.getProperty("modkv.version") + System.lineSeparator()),
                run.out());
    }

    @Test
    void helpListsEveryCommandOfTheCliContract() {
        Run run = modkv("--help");
        assertEquals(ExitStatus.OK, run.status());
        for (String command : new String[] {"node", "cluster", "shell", "put", "get", "del", "bulk", "find-value",
            "search", "similar", "stats", "plugins", "check"}) {
            assertTrue(run.out().contains("  " + command + " "), command + " missing from:\n" + run.out());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"node", "cluster", "shell", "put", "get", "del", "bulk", "find-value",
            "search", "similar", "stats", "plugins", "check"}) {
            Run run = modkv(command, "--help");
            assertEquals(ExitStatus.OK, run.status(), command + ": " + run.err());
            assertTrue(run.out().startsWith("Usage: modkv " + command), run.out());
        }
    }

    @Test
    void clusterRefusesANodeCountOrBasePortOutOfRangeSayingWhatIsAllowed() {
        Run none = modkv("cluster", "--nodes", "0");
        assertEquals(ExitStatus.ERROR, none.status());
        assertTrue(none.err().contains("--nodes must be 1..9, was 0"), none.err());
        Run ports = modkv("cluster", "--nodes", "3", "--base-port", "65530");
        assertEquals(ExitStatus.ERROR, ports.status());
        assertTrue(ports.err().contains("--base-port must leave room for 12 ports below 65536, was 65530"), ports.err());
    }

    @Test
    void checkSaysWhyItCannotCheckADirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Run missing = modkv("check", "--data", dir.resolve("nope").toString());
        assertEquals(ExitStatus.ERROR, missing.status());
        assertTrue(missing.err().contains("is not a directory"), missing.err());
        Run notData = modkv("check", "--data", dir.toString());
        assertEquals(ExitStatus.ERROR, notData.status());
        assertTrue(notData.err().contains("is not a modkv data directory"), notData.err());
        Run noOption = modkv("check");
        assertEquals(ExitStatus.ERROR, noOption.status());
        assertTrue(noOption.err().contains("--data"), noOption.err());
    }

    @Test
    void noCommandIsAnErrorWithUsage() {
        Run run = modkv();
        assertEquals(ExitStatus.ERROR, run.status());
        assertTrue(run.err().contains("a command is required") && run.err().contains("Usage: modkv"), run.err());
    }

    @Test
    void unknownCommandIsAnErrorWithSuggestion() {
        Run run = modkv("gett", "k");
        assertEquals(ExitStatus.ERROR, run.status());
        assertTrue(run.err().contains("'gett'") && run.err().contains("get"), run.err());
    }

    @Test
    void missingArgumentIsAnErrorBeforeConnecting() {
        Run run = modkv("put", "onlykey", "--connect", "127.0.0.1:1");
        assertEquals(ExitStatus.ERROR, run.status());
        assertTrue(run.err().contains("Missing required parameter: 'VALUE'"), run.err());
        assertTrue(!run.err().contains("cannot connect"), run.err());
    }

    @Test
    void bulkEntryWithoutEqualsIsRejectedBeforeConnecting() {
        Run run = modkv("bulk", "a=1", "b", "--connect", "127.0.0.1:1");
        assertEquals(ExitStatus.ERROR, run.status());
        assertTrue(run.err().contains("'b' is not KEY=VALUE"), run.err());
    }

    @Test
    void similarRejectsTopBelowOne() {
        Run run = modkv("similar", "--top", "0", "some", "text", "--connect", "127.0.0.1:1");
        assertEquals(ExitStatus.ERROR, run.status());
        assertTrue(run.err().contains("--top must be at least 1, was 0"), run.err());
    }

    @Test
    void nodeSetWithoutEqualsIsAUsageError() {
        Run run = modkv("node", "--set", "tcp.listen");
        assertEquals(ExitStatus.ERROR, run.status());
        assertTrue(run.err().contains("KEY=VALUE"), run.err());
    }

    @Test
    void refusedConnectionSaysHowToStartANode() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Run run = modkv("get", "k", "--connect", "127.0.0.1:" + port);
        assertEquals(ExitStatus.ERROR, run.status());
        assertTrue(run.err().startsWith("modkv: cannot connect to 127.0.0.1:" + port), run.err());
        assertTrue(run.err().contains("is a node running? start one with 'modkv node'"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void badConnectAddressIsAnError() {
        Run run = modkv("get", "k", "--connect", "no-port-here");
        assertEquals(ExitStatus.ERROR, run.status());
        assertTrue(run.err().contains("no-port-here"), run.err());
    }

    @Test
    void pluginsListsTheKernelKeysAndTheBuiltInReplication() {
        Run run = modkv("plugins");
        assertEquals(ExitStatus.OK, run.status(), run.err());
        assertTrue(run.out().contains("node.id = node1"), run.out());
        assertTrue(run.out().contains("  standalone - "), run.out());
        assertTrue(run.out().contains("index plugins (choose with indexes=NAME,...)"), run.out());
    }
}
