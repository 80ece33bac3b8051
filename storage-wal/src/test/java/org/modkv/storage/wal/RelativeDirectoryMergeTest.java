package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.options;
import static org.modkv.storage.wal.WalTestSupport.value;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.storage.WriteBatch;

/**
 * The engine opened on a relative directory spelt as the node's default {@code data.dir=./data}
 * makes it ({@code ./<dir>/storage-wal}, under {@code target/} of the working directory):
 * merges happen, in the background as on a node and on demand. (Every other test uses an
 * absolute temporary directory, which is how every merge of a default node failing went
 * unnoticed.)
 */
class RelativeDirectoryMergeTest {
    private final Path root = Path.of("target", "relative-merge-test-" + ProcessHandle.current().pid() + "-"
            + System.nanoTime());
    private final Path dir = Path.of(".").resolve(root).resolve("data").resolve("storage-wal");

    @AfterEach
    void removeDirectory() throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static long stat(WalStorageEngine engine, String name) {
        return ((Number) engine.stats().get(name)).longValue();
    }

    @Test
    void mergesInTheBackgroundAndOnDemandInADirectoryGivenAsARelativePath() throws Exception {
        assertFalse(dir.isAbsolute());
        WalOptions options = options("wal.segment.bytes", "4KiB", "wal.sync", "none", "wal.merge.interval.ms", "10",
                "wal.merge.trigger.ratio", "0.3");
        try (WalStorageEngine engine = WalTestSupport.open(dir, options)) {
            WriteBatch batch = new WriteBatch();
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 40; i++) {
                    write(engine, batch.clear().put(bytes("k-" + i), bytes("round-" + round + "-" + "v".repeat(80))));
                }
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (stat(engine, "merges") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(stat(engine, "merges") > 0, "the background merger merged: " + engine.stats());
            long before = stat(engine, "merges");
            engine.mergeNow();
            assertTrue(stat(engine, "merges") > before, "mergeNow merged");
            assertEquals(0, stat(engine, "merge_failures"), engine.stats().toString());
            assertEquals("yes", engine.stats().get("merge_reclaiming"));
            for (int i = 0; i < 40; i++) {
                assertEquals("round-19-" + "v".repeat(80), value(engine, "k-" + i));
            }
        }
        assertTrue(WalFiles.filesEndingWith(dir, MergeCommit.SUFFIX).isEmpty());
        assertFalse(WalFiles.filesEndingWith(dir, DataFile.Kind.MERGED.suffix).isEmpty());
        try (WalStorageEngine engine = WalTestSupport.open(dir, options)) {
            assertEquals(40, engine.keyCount());
        }
    }
}
