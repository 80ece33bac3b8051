package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modkv shell} with piped input against a real node. */
class ShellIT {
    @TempDir
    Path dir;

    @Test
    void runsPipedCommandsUntilQuit() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"))) {
            Cli.Result run = Cli.modkvWithInput("put a 1\nget a\nhelp\nquit\nget a\n", "shell", "--connect", node.tcp());
            assertEquals(0, run.status(), run::toString);
            List<String> lines = run.out().lines().toList();
            assertEquals("OK", lines.get(0), run::toString);
            assertEquals("1", lines.get(1), run::toString);
            assertTrue(lines.get(2).startsWith("Commands"), run::toString);
            assertTrue(run.out().contains("  similar [--top K] [--offset N] [--min SCORE] [--stale] TEXT..."), run::toString);
            assertEquals(1, lines.stream().filter("1"::equals).count(), "nothing runs after quit:\n" + run);
            assertEquals("", run.err(), run::toString);
        }
    }

    @Test
    void quotesKeepSpacesAndErrorsDoNotEndTheShell() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"))) {
            String input = String.join("\n",
                    "put 'my key' \"hello world\"",
                    "get \"my key\"",
                    "get missing",
                    "bogus",
                    "put onlykey",
                    "bulk x=1 y=2",
                    "get y",
                    "");
            Cli.Result run = Cli.modkvWithInput(input, "shell", "--connect", node.tcp());
            assertEquals(0, run.status(), run::toString);
            assertEquals(List.of("OK", "hello world", "OK", "2"), run.out().lines().toList(), run::toString);
            assertTrue(run.err().contains("not found: missing"), run::toString);
            assertTrue(run.err().contains("unknown command 'bogus'"), run::toString);
            assertTrue(run.err().contains("usage: put [--ttl TTL] [--if-absent] [--if-present] [--if-version N] KEY VALUE"),
                    run::toString);
        }
    }

    @Test
    void withoutANodeTheShellSaysSoAndExits2() throws Exception {
        Cli.Result run = Cli.modkvWithInput("get a\n", "shell", "--connect", "127.0.0.1:1");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("cannot connect to 127.0.0.1:1"), run::toString);
    }
}
