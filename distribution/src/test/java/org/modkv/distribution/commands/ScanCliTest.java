package org.modkv.distribution.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modkv.api.storage.WriteBatch;
import org.modkv.distribution.ExitStatus;

/** {@code modkv scan [--prefix P] [--limit N] [--keys-only]}: order, paging past one request, limits. */
class ScanCliTest extends CliTestBase {
    @BeforeAll
    static void fill() {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 2500; i++) { // more than one page of ScanCommand.PAGE
            batch.put(String.format("p%04d", i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        batch.put("other".getBytes(StandardCharsets.UTF_8), "o".getBytes(StandardCharsets.UTF_8));
        KERNEL.write(batch).join();
    }

    private static String[] run(int expectedStatus, String... args) {
        TcpCliFixture.Run run = cli.modkv(args);
        assertEquals(expectedStatus, run.status(), run.err());
        return run.out().isEmpty() ? new String[0] : run.out().split("\n");
    }

    @Test
    void scanPrintsEveryKeyWithItsValueInOrderAcrossPages() {
        String[] lines = run(ExitStatus.OK, "scan", "--prefix", "p");
        assertEquals(2500, lines.length);
        assertEquals("p0000\tv0", lines[0]);
        assertEquals("p2499\tv2499", lines[2499]);
        assertEquals(2501, run(ExitStatus.OK, "scan", "--keys-only").length);
    }

    @Test
    void limitAndKeysOnlyShapeTheOutput() {
        String[] lines = run(ExitStatus.OK, "scan", "--prefix", "p1", "--limit", "3", "--keys-only");
        assertEquals(3, lines.length);
        assertEquals("p1000", lines[0]);
        assertEquals(0, run(ExitStatus.OK, "scan", "--prefix", "zzz").length);
        TcpCliFixture.Run zero = cli.modkv("scan", "--limit", "0");
        assertEquals(ExitStatus.ERROR, zero.status());
        assertTrue(zero.err().contains("--limit must be at least 1"), zero.err());
    }
}
