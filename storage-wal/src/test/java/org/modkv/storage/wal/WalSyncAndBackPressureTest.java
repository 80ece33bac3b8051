package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.options;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;

/** {@code wal.sync=batch} and what happens when the ring buffer is full. */
class WalSyncAndBackPressureTest {
    @TempDir
    Path dir;

    @Test
    void fullRingPushesBackWithFalseAndLosesNoAcceptedWrite() throws Exception {
        FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
        try (WalStorageEngine engine = WalStorageEngine.open(dir, options("wal.ring.bytes", "64KiB"),
                faults.opener())) {
            faults.forceGate = new CountDownLatch(1);
            AtomicInteger completed = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            WriteBatch batch = new WriteBatch();
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < 100_000 && refused == 0; i++) {
                batch.clear().put(bytes("key-" + i), bytes("value-" + i));
                if (engine.offer(batch, Durability.DURABLE, (sequence, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    completed.incrementAndGet();
                })) {
                    accepted++;
                } else {
                    refused++;
                }
            }
            assertEquals(1, refused, "the ring filled while fsync was held");
            assertEquals(0, completed.get(), "nothing completes before its fsync");

            faults.forceGate.countDown();
            faults.forceGate = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completed.get() < accepted && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertNull(failure.get());
            assertEquals(accepted, completed.get());
            assertEquals(accepted, engine.keyCount());
        }
    }

    @Test
    void batchModeAcknowledgesAfterAnFsyncAndFsyncsAtMostOncePerInterval() throws Exception {
        FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
        int intervalMs = 100;
        try (WalStorageEngine engine = WalStorageEngine.open(dir, options("wal.sync", "batch",
                "wal.sync.interval.ms", Integer.toString(intervalMs)), faults.opener())) {
            int threads = 4;
            int writesPerThread = 10;
            AtomicReference<String> violation = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            long forcesBefore = faults.forces.get();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread writer = new Thread(() -> {
                    for (int i = 0; i < writesPerThread; i++) {
                        int forcesAtOffer = faults.forces.get();
                        CountDownLatch done = new CountDownLatch(1);
                        WriteBatch batch = new WriteBatch().put(bytes("t" + thread + "-" + i), bytes("v"));
                        while (!engine.offer(batch, Durability.DURABLE, (sequence, error) -> {
                            if (faults.forces.get() <= forcesAtOffer) {
                                violation.compareAndSet(null, "a durable write completed before an fsync after it");
                            }
                            done.countDown();
                        })) {
                            Thread.onSpinWait();
                        }
                        try {
                            done.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                writers.add(writer);
                writer.start();
            }
            for (Thread writer : writers) {
                writer.join();
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long forces = faults.forces.get() - forcesBefore;

            assertNull(violation.get());
            assertEquals(threads * writesPerThread, engine.keyCount());
            assertTrue(forces <= elapsedMs / intervalMs + 2, forces + " fsyncs in " + elapsedMs + " ms");
            assertTrue(elapsedMs >= (writesPerThread - 1) * intervalMs, "each writer waited for an fsync per write: "
                    + elapsedMs + " ms");
        }
    }

    @Test
    void visibleWritesDoNotWaitForABatchFsync() throws Exception {
        try (WalStorageEngine engine = WalTestSupport.open(dir, options("wal.sync", "batch",
                "wal.sync.interval.ms", "60000"))) {
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                WalTestSupport.write(engine, new WriteBatch().put(bytes("k" + i), bytes("v")), Durability.VISIBLE);
            }
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30);
            assertEquals(20, engine.keyCount());
        }
    }

    /**
     * The commit thread parks long only when it has nothing to look at again by itself
     * ({@link CommitAgentIdleStrategy}): a write waiting for its batch fsync is such a thing, and
     * it completes with no one waking the thread.
     */
    @Test
    void theCommitThreadKnowsAWriteWaitingForItsBatchFsyncIsInFlight() throws Exception {
        try (WalStorageEngine engine = WalTestSupport.open(dir, options("wal.sync", "batch",
                "wal.sync.interval.ms", "1500"))) {
            awaitInFlight(engine, false);
            WalTestSupport.write(engine, new WriteBatch().put(bytes("first"), bytes("v")), Durability.DURABLE);
            CountDownLatch durable = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            assertTrue(engine.offer(new WriteBatch().put(bytes("second"), bytes("v")), Durability.DURABLE,
                    (sequence, error) -> {
                        failure.set(error);
                        durable.countDown();
                    }));
            // Not forced before the interval since the first fsync has passed: meanwhile the write is in flight.
            boolean sawInFlight = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (durable.getCount() > 0 && System.nanoTime() < deadline) {
                sawInFlight |= !engine.agent().nothingInFlight();
                Thread.sleep(1);
            }
            assertEquals(0, durable.getCount(), "the batch fsync came without a wake-up");
            assertTrue(sawInFlight, "the write waiting for its batch fsync counted as in flight");
            assertNull(failure.get());
            awaitInFlight(engine, false);
        }
    }

    private static void awaitInFlight(WalStorageEngine engine, boolean inFlight) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.agent().nothingInFlight() == inFlight && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(!inFlight, engine.agent().nothingInFlight(), inFlight ? "in flight" : "nothing in flight");
    }
}
