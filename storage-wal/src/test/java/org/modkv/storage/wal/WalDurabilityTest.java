package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.put;
import static org.modkv.storage.wal.WalTestSupport.value;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;

class WalDurabilityTest {
    @TempDir
    Path temp;

    private static long stat(WalStorageEngine engine, String name) {
        return ((Number) engine.stats().get(name)).longValue();
    }

    /**
     * Copies the files while the engine is still open (nothing flushed by close): every write
     * completed before the copy, up to sequence N, is in the copy.
     */
    @Test
    void writeCompletedWithSequenceNIsInTheFilesWithoutAClose() throws IOException {
        Path live = temp.resolve("live");
        try (WalStorageEngine engine = open(live)) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(engine.write(new WriteBatch().put(bytes("k" + i), bytes("v" + i)), Durability.DURABLE));
            }
            long last = 0;
            for (CompletableFuture<Long> future : futures) {
                last = Math.max(last, future.join());
            }
            Path copy = WalFiles.copyDir(live, temp.resolve("copy"));

            try (WalStorageEngine recovered = open(copy)) {
                assertEquals(last, recovered.lastSequence());
                for (int i = 0; i < 200; i++) {
                    assertEquals("v" + i, value(recovered, "k" + i));
                }
            }
        }
    }

    @Test
    void syncAlwaysFsyncsBeforeADurableWriteCompletesButNotForAVisibleOne() throws IOException {
        try (WalStorageEngine engine = open(temp.resolve("always"))) {
            long before = stat(engine, "fsyncs");
            put(engine, "durable", "d");
            long afterDurable = stat(engine, "fsyncs");
            write(engine, new WriteBatch().put(bytes("visible"), bytes("v")), Durability.VISIBLE);

            assertEquals(before + 1, afterDurable);
            assertEquals(afterDurable, stat(engine, "fsyncs"));
            assertTrue(stat(engine, "last_fsync_micros") >= 0);
            assertEquals("v", value(engine, "visible"));
        }
    }

    @Test
    void syncNoneCompletesDurableWritesWithoutFsyncAndStillRecovers() throws IOException {
        Path dir = temp.resolve("none");
        try (WalStorageEngine engine = open(dir, WalTestSupport.options("wal.sync", "none"))) {
            for (int i = 0; i < 100; i++) {
                put(engine, "k" + i, "v" + i);
            }
            assertEquals(0, stat(engine, "fsyncs"));
            assertEquals("none", engine.stats().get("sync"));
        }
        try (WalStorageEngine engine = open(dir, WalTestSupport.options("wal.sync", "none"))) {
            assertEquals(100, engine.keyCount());
            assertEquals("v99", value(engine, "k99"));
        }
    }

    @Test
    void statsDescribeTheLog() throws IOException {
        try (WalStorageEngine engine = open(temp.resolve("stats"))) {
            put(engine, "key", "value");
            put(engine, "key", "value2");

            assertEquals(List.of("keys", "last_sequence", "segments", "live_bytes", "dead_bytes", "total_bytes",
                    "fsyncs", "event_loop_fsyncs", "last_fsync_micros", "group_commits", "group_size_p50", "group_size_p99",
                    "group_size_max", "group_size_histogram", "merges", "merge_reclaimed_bytes",
                    "segment_hints_written", "merge_failures", "merge_failures_in_a_row", "merge_last_error",
                    "merge_reclaiming", "key_directory_offheap_bytes", "corrupt_reads", "damaged_files",
                    "scrub_passes", "scrub_bytes", "scrub_damaged_records", "sync", "failed"),
                    new ArrayList<>(engine.stats().keySet()));
            assertEquals(1L, stat(engine, "keys"));
            assertEquals(0L, stat(engine, "corrupt_reads"));
            assertEquals(0L, stat(engine, "damaged_files"));
            assertEquals(2L, stat(engine, "last_sequence"));
            assertEquals(1L, stat(engine, "segments"));
            int entryHeader = WalRecordFormat.ENTRY_HEADER_BYTES;
            assertEquals(entryHeader + "key".length() + "value2".length(), stat(engine, "live_bytes"));
            assertTrue(stat(engine, "total_bytes") > stat(engine, "live_bytes"), "the overwritten value is still in the log");
            assertEquals(stat(engine, "total_bytes") - stat(engine, "live_bytes"), stat(engine, "dead_bytes"));
            assertEquals(2L, stat(engine, "group_commits"));
            assertEquals(1L, stat(engine, "group_size_max"));
            assertEquals("1:2", engine.stats().get("group_size_histogram"));
            assertTrue(stat(engine, "key_directory_offheap_bytes") > 0);
        }
    }

    // ------------------------------------------------------------ storage failures

    private static ModkvException failureOf(CompletableFuture<Long> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
        if (e.getCause() instanceof ModkvException m) {
            return m;
        }
        throw new AssertionError("expected a ModkvException", e.getCause());
    }

    @Test
    void failedFsyncFailsTheBatchAndEveryLaterWriteAndIsNeverRetried() throws IOException {
        FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
        Path dir = temp.resolve("fsync-fails");
        try (WalStorageEngine engine = WalStorageEngine.open(dir, WalTestSupport.DEFAULTS, faults.opener())) {
            put(engine, "good", "1");
            faults.failForce.set(true);

            ModkvException failed = failureOf(engine.write(new WriteBatch().put(bytes("lost"), bytes("2")),
                    Durability.DURABLE));

            assertEquals(ErrorCode.STORAGE_FAILURE, failed.code());
            assertTrue(failed.getMessage().contains("injected fsync failure"), failed.getMessage());
            assertNull(value(engine, "lost"), "a batch that was not made durable is not visible");
            assertEquals("1", value(engine, "good"));
            ModkvException refused = assertThrows(ModkvException.class, () -> engine.offer(
                    new WriteBatch().put(bytes("later"), bytes("3")), Durability.VISIBLE, (s, f) -> { }));
            assertEquals(ErrorCode.STORAGE_FAILURE, refused.code());
            assertEquals(ErrorCode.STORAGE_FAILURE, failureOf(engine.write(new WriteBatch().delete(bytes("good")),
                    Durability.DURABLE)).code());
            assertEquals(true, engine.stats().get("failed"));
        }
        assertEquals(1, faults.forcesWhileFailing.get(), "the failed fsync is not retried, not even by close");
    }

    @Test
    void failedWriteFailsTheWholeGroupAndEveryWriteQueuedBehindIt() throws IOException {
        FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
        Path dir = temp.resolve("write-fails");
        try (WalStorageEngine engine = WalStorageEngine.open(dir, WalTestSupport.DEFAULTS, faults.opener())) {
            put(engine, "good", "1");
            faults.failWrite.set(true);
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(engine.write(new WriteBatch().put(bytes("k" + i), bytes("v")),
                        i % 2 == 0 ? Durability.DURABLE : Durability.VISIBLE));
            }

            for (CompletableFuture<Long> future : futures) {
                assertEquals(ErrorCode.STORAGE_FAILURE, failureOf(future).code());
            }
            assertEquals(1, engine.keyCount());
            assertEquals(1, engine.lastSequence());
        }
        faults.failWrite.set(false);
        try (WalStorageEngine engine = open(dir)) {
            assertEquals("1", value(engine, "good"));
            assertEquals(1, engine.keyCount());
        }
    }
}
