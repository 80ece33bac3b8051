package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.options;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/**
 * The background merger racing writers that roll segments every few writes: no acknowledged
 * write may go missing, neither in the running engine nor after a restart.
 */
class MergeUnderLoadTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesMergesRacingSmallSegmentRolls() throws Exception {
        WalOptions options = options("wal.segment.bytes", "8KiB", "wal.merge.interval.ms", "1",
                "wal.merge.trigger.ratio", "0.1");
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        try (WalStorageEngine engine = WalTestSupport.open(dir, options)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread writer = new Thread(() -> {
                    WriteBatch batch = new WriteBatch();
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            batch.clear();
                            String unique = "t" + thread + "-" + i;
                            String value = unique + "-" + "v".repeat(i % 300);
                            batch.put(bytes(unique), bytes(value));
                            for (int slot = 0; slot < 4; slot++) {
                                batch.put(bytes("t" + thread + "-slot-" + slot), bytes(value));
                            }
                            engine.write(batch, Durability.DURABLE).get();
                            acknowledged.put(unique, value);
                            for (int slot = 0; slot < 4; slot++) {
                                acknowledged.put("t" + thread + "-slot-" + slot, value);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                writers.add(writer);
                writer.start();
            }
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline && failure.get() == null) {
                Thread.sleep(20);
            }
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
            assertNull(failure.get());
            assertTrue(((Number) engine.stats().get("merges")).longValue() > 0, "merges ran");
            assertContains(engine, acknowledged);
        }
        try (WalStorageEngine engine = WalTestSupport.open(dir, options)) {
            assertContains(engine, acknowledged);
        }
    }

    private static void assertContains(WalStorageEngine engine, Map<String, String> expected) throws IOException {
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            Optional<StoredRecord> record = engine.get(bytes(entry.getKey()));
            assertTrue(record.isPresent(), entry.getKey() + " is missing");
            assertEquals(entry.getValue(), new String(record.get().value()), entry.getKey());
        }
    }
}
