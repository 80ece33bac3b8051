package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.WriteBatch;

/**
 * The background scrub ({@code wal.scrub.bytes.per.second}) checks every sealed file over and
 * over, reports its progress, and finds a flipped bit in data nobody reads: the file is marked
 * damaged (and so left out of merges) without a single read of it.
 */
class ScrubAgentTest {
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    private static WalOptions scrubbing(String rate) {
        return WalTestSupport.options("wal.segment.bytes", "64KiB", "wal.sync", "none", "wal.preallocate", "false",
                "wal.scrub.bytes.per.second", rate);
    }

    private static void fill(WalStorageEngine engine) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 1500; i++) {
            write(engine, batch.clear().put(bytes("key-" + i), bytes("value-" + i + "-" + "z".repeat(200))));
        }
    }

    private static long stat(WalStorageEngine engine, String name) {
        return ((Number) engine.stats().get(name)).longValue();
    }

    /** Waits (bounded) until {@code value} reaches {@code target}. */
    private static void await(String what, LongSupplier value, long target) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NS;
        while (value.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                fail(what + " stayed at " + value.getAsLong() + ", below " + target);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void scrubsEverySealedFileOverAndOverAndReportsItsProgress() throws Exception {
        try (WalStorageEngine engine = open(dir, scrubbing("64MiB"))) {
            fill(engine);
            long sealedBytes = engine.files().all().stream().filter(f -> f != engine.files().active())
                    .mapToLong(DataFile::size).sum();
            await("scrub_passes", () -> stat(engine, "scrub_passes"), 2);
            assertTrue(stat(engine, "scrub_bytes") >= 2 * sealedBytes, stat(engine, "scrub_bytes") + " of "
                    + sealedBytes);
            assertEquals(0, stat(engine, "scrub_damaged_records"));
            assertEquals(0, stat(engine, "damaged_files"));
        }
    }

    @Test
    void findsAFlippedBitInAFileNobodyReads() throws Exception {
        try (WalStorageEngine engine = open(dir, scrubbing("64MiB"))) {
            fill(engine);
            DataFile sealed = engine.files().all().get(1);
            List<Long> records = WalFiles.recordOffsets(sealed.path());
            try (FileChannel channel = FileChannel.open(sealed.path(), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                long at = records.get(records.size() / 2) + WalRecordFormat.HEADER_BYTES + 30;
                channel.read(one, at);
                one.put(0, (byte) (one.get(0) ^ 0x40)).position(0);
                channel.write(one, at);
            }
            await("scrub_damaged_records", () -> stat(engine, "scrub_damaged_records"), 1);
            assertTrue(sealed.isDamaged());
            assertEquals(1, stat(engine, "damaged_files"));
            assertEquals(0, stat(engine, "corrupt_reads"), "found without a read");
        }
    }

    @Test
    void isOffByDefault() throws IOException {
        try (WalStorageEngine engine = open(dir, WalTestSupport.options("wal.segment.bytes", "64KiB"))) {
            fill(engine);
            assertEquals(0, stat(engine, "scrub_bytes"));
            assertEquals(0L, WalOptions.defaults().scrubBytesPerSecond());
        }
    }
}
