package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.put;
import static org.modkv.storage.wal.WalTestSupport.value;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.WriteBatch;

class WalSegmentRollingTest {
    private static final WalOptions TINY_SEGMENTS = WalTestSupport.options("wal.segment.bytes", "1024");

    @TempDir
    Path dir;

    @Test
    void tinySegmentsRollAndKeepEveryKeyAcrossReopen() throws IOException {
        try (WalStorageEngine engine = open(dir, TINY_SEGMENTS)) {
            for (int i = 0; i < 300; i++) {
                put(engine, "key-" + i, "value-" + i + "-" + "v".repeat(i % 50));
            }
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < 300; i += 2) {
                batch.delete(bytes("key-" + i));
            }
            write(engine, batch);
            for (int i = 1; i < 300; i += 4) {
                put(engine, "key-" + i, "overwritten-" + i);
            }
            Map<String, Object> stats = engine.stats();
            assertEquals(WalFiles.segments(dir).size(), ((Number) stats.get("segments")).intValue());
        }
        List<Path> segments = WalFiles.segments(dir);
        assertTrue(segments.size() > 20, "rolled to " + segments.size() + " segments");
        for (Path segment : segments) {
            List<Long> records = WalFiles.recordOffsets(segment);
            assertTrue(Files.size(segment) <= 1024 || records.size() == 1,
                    segment + " is over the segment size with more than one record");
        }

        for (int round = 0; round < 2; round++) {
            try (WalStorageEngine engine = open(dir, TINY_SEGMENTS)) {
                assertEquals(150 + round, engine.keyCount());
                for (int i = 0; i < 300; i++) {
                    String expected = i % 2 == 0 ? null : (i % 4 == 1 ? "overwritten-" + i
                            : "value-" + i + "-" + "v".repeat(i % 50));
                    assertEquals(expected, value(engine, "key-" + i), "key-" + i);
                }
                put(engine, "round-" + round, "r");
            }
        }
        try (WalStorageEngine engine = open(dir, TINY_SEGMENTS)) {
            assertEquals("r", value(engine, "round-0"));
            assertEquals("r", value(engine, "round-1"));
        }
    }

    @Test
    void batchLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
        byte[] large = new byte[10_000];
        new Random(1).nextBytes(large);
        try (WalStorageEngine engine = open(dir, TINY_SEGMENTS)) {
            put(engine, "before", "b");
            write(engine, new WriteBatch().put(bytes("large"), large));
            put(engine, "after", "a");
        }
        List<Path> segments = WalFiles.segments(dir);
        assertEquals(3, segments.size());
        assertEquals(1, WalFiles.recordOffsets(segments.get(1)).size());

        try (WalStorageEngine engine = open(dir, TINY_SEGMENTS)) {
            assertArrayEquals(large, engine.get(bytes("large")).orElseThrow().value());
            assertEquals("b", value(engine, "before"));
            assertEquals("a", value(engine, "after"));
            assertNull(value(engine, "missing"));
        }
    }
}
