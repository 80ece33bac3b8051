package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.WriteBatch;

/**
 * Reads through the memory-mapped chunks and the positional-read fallback return the same bytes:
 * values in full chunks of the active segment, across chunk boundaries, in the active
 * segment's unfinished chunk, in sealed segments (whose last chunk is partial), and after a
 * reopen and a merge.
 */
class MappedReadsTest {
    private static final int KEYS = 6_000;
    private static final WalOptions OPTIONS = WalTestSupport.options("wal.sync", "none",
            "wal.segment.bytes", "3MiB", "wal.merge.interval.ms", "0");

    @TempDir
    Path dir;

    private static byte[] valueOf(int key, int generation) {
        byte[] value = new byte[300 + key % 900]; // about 4.5 MiB in all: two segments, chunk boundaries crossed
        new Random(key * 31L + generation).nextBytes(value);
        return value;
    }

    private static void writeAll(WalStorageEngine engine, int generation) {
        for (int i = 0; i < KEYS; i += 50) {
            WriteBatch batch = new WriteBatch();
            for (int k = i; k < i + 50; k++) {
                batch.put(bytes("key-" + k), valueOf(k, generation));
            }
            write(engine, batch);
        }
    }

    private static void assertAll(WalStorageEngine engine, int generation) throws IOException {
        // Twice: the first pass makes the maps, the second reads through them.
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < KEYS; k++) {
                byte[] value = engine.get(bytes("key-" + k)).orElseThrow(AssertionError::new).value();
                assertArrayEquals(valueOf(k, generation), value, "key-" + k + " in pass " + pass);
            }
        }
    }

    @Test
    void everyValueReadsBackThroughMapsAndPositionalReads() throws IOException {
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine, 1);
            assertTrue(WalFiles.segments(dir).size() >= 2, "the log rolled: " + WalFiles.segments(dir));
            assertAll(engine, 1);
            writeAll(engine, 2); // the maps made so far stay valid as the files grow and roll
            assertAll(engine, 2);
        }
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertAll(engine, 2);
            writeAll(engine, 3);
            engine.mergeNow(); // replaces sealed segments (with maps made) by merge outputs
            assertAll(engine, 3);
        }
    }

    @Test
    void recordsAppendedToAPreparedSegmentAfterItsChunkWasMappedReadBack() throws IOException {
        WalOptions prepared = WalTestSupport.options("wal.sync", "none", "wal.segment.bytes", "3MiB",
                "wal.preallocate", "true");
        try (WalStorageEngine engine = open(dir, prepared)) {
            writeAll(engine, 1); // over 1 MiB: the log asks for a prepared segment and rolls onto it
            for (int i = 0; i < 200 && !engine.files().active().isPreallocated(); i++) {
                writeAll(engine, 1);
            }
            assertTrue(engine.files().active().isPreallocated(), "the active segment was written ahead");
            // Each read maps the chunk the record is in, before the records after it exist.
            for (int k = 0; k < 400; k++) {
                write(engine, new WriteBatch().put(bytes("late-" + k), valueOf(k, 7)));
                assertArrayEquals(valueOf(k, 7), engine.get(bytes("late-" + k)).orElseThrow().value());
            }
            for (int k = 0; k < 400; k++) {
                assertArrayEquals(valueOf(k, 7), engine.get(bytes("late-" + k)).orElseThrow().value(), "late-" + k);
            }
        }
        try (WalStorageEngine engine = open(dir, prepared)) { // sealing cut the segment to its records
            for (int k = 0; k < 400; k++) {
                assertArrayEquals(valueOf(k, 7), engine.get(bytes("late-" + k)).orElseThrow().value(), "late-" + k);
            }
        }
    }
}
