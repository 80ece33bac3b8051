package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.WriteBatch;

/**
 * Segments written ahead of time ({@code wal.preallocate}): the log switches to a prepared
 * file, sealed segments end with their last record, a restart finds the end of the records in
 * a file followed by zeros without cutting anything, appends continue into the zeros, and a
 * torn write in front of the zeros is still cut off.
 */
class PreallocatedSegmentsTest {
    private static final long SEGMENT = 4 << 20;
    private static final WalOptions OPTIONS = WalTestSupport.options("wal.sync", "none",
            "wal.segment.bytes", "4MiB", "wal.merge.interval.ms", "0");

    @TempDir
    Path dir;

    private static byte[] valueOf(int key, int generation) {
        byte[] value = new byte[1000];
        new Random(key * 131L + generation).nextBytes(value);
        return value;
    }

    private static void put(WalStorageEngine engine, int from, int to, int generation) {
        WriteBatch batch = new WriteBatch();
        for (int k = from; k < to; k++) {
            batch.put(bytes("key-" + k), valueOf(k, generation));
        }
        write(engine, batch);
    }

    private static void assertValues(WalStorageEngine engine, int keys, int generation) throws IOException {
        for (int k = 0; k < keys; k++) {
            assertArrayEquals(valueOf(k, generation), engine.get(bytes("key-" + k)).orElseThrow().value(), "key-" + k);
        }
    }

    /** Writes until the active segment is a prepared one (the preparer runs in the background). */
    private static int writeUntilPrepared(WalStorageEngine engine, int from, int generation) throws InterruptedException {
        int k = from;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!engine.files().active().isPreallocated()) {
            assertTrue(System.nanoTime() < deadline, "no prepared segment within 60 s");
            put(engine, k, k + 100, generation);
            k += 100;
            if (engine.files().active().size() > SEGMENT / 2) {
                Thread.sleep(20); // give the preparer time before this segment fills up
            }
        }
        return k;
    }

    @Test
    void logMovesToPreparedSegmentsAndRestartsWithoutCuttingThem() throws Exception {
        int keys;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            keys = writeUntilPrepared(engine, 0, 1);
            DataFile active = engine.files().active();
            assertEquals(SEGMENT, Files.size(active.path()), "a prepared segment has its full length");
            put(engine, keys, keys + 5000, 1); // about 5 MB: fills the prepared segment and rolls again
            keys += 5000;
            assertValues(engine, keys, 1);
            for (DataFile file : engine.files().all()) {
                if (file.isSealed()) {
                    assertEquals(file.size(), Files.size(file.path()), file.path() + " ends with its last record");
                }
            }
        }
        List<Path> segments = WalFiles.segments(dir);
        Path last = segments.get(segments.size() - 1);
        long lengthBefore = Files.size(last);
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            DataFile active = engine.files().active();
            assertEquals(lengthBefore, Files.size(last), "recovery cut nothing");
            if (lengthBefore == SEGMENT) {
                assertTrue(active.isPreallocated());
                assertTrue(active.size() < SEGMENT);
            }
            assertValues(engine, keys, 1);
            put(engine, 0, 500, 2); // appends continue into the zeros
        }
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertValues(engine, 500, 2);
            for (int k = 500; k < keys; k++) {
                assertArrayEquals(valueOf(k, 1), engine.get(bytes("key-" + k)).orElseThrow().value());
            }
        }
        assertFalse(Files.list(dir).anyMatch(p -> p.toString().endsWith(DataFile.TEMP_SUFFIX)),
                "no prepared file is left behind after a clean close");
    }

    @Test
    void tornWriteInFrontOfTheZerosIsCutOff() throws Exception {
        int keys;
        long end;
        Path activePath;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            keys = writeUntilPrepared(engine, 0, 1);
            put(engine, keys, keys + 10, 1);
            keys += 10;
            end = engine.files().active().size();
            activePath = engine.files().active().path();
        }
        // A record cut short by a crash: a plausible header and half a body, then the zeros.
        try (FileChannel channel = FileChannel.open(activePath, StandardOpenOption.WRITE)) {
            ByteBuffer torn = ByteBuffer.allocate(600);
            torn.putInt(0, 2000);
            new Random(7).nextBytes(torn.array());
            torn.putInt(0, 2000);
            channel.write(torn, end);
        }
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertValues(engine, keys, 1);
            assertEquals(end, Files.size(activePath), "the torn write and the zeros after it are cut off");
            put(engine, 0, 10, 2);
            assertValues(engine, 10, 2);
        }
    }
}
