package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.EventLoopFsync;

/**
 * {@code wal.caller.commits}: threads that end their bursts with {@code endOfBurst} run the
 * group commit themselves, mixed with the agent's own thread (writers that never call it), with
 * up to two fsyncs outside the turn at once and segments rolling underneath. Every write must
 * still complete once, in sequence order, only after an fsync, and be there after a restart.
 */
class CallerCommitTest {
    private static final int BURSTING_WRITERS = 3;
    private static final int BURSTS = 150;
    private static final int BURST = 20;
    private static final int PLAIN_WRITES = 2_000;

    @TempDir
    Path dir;

    @Test
    void writesFromCallersAndTheAgentCompleteOnceInOrderAndSurviveARestart() throws Exception {
        // Small segments: the log rolls often, so a roll meets fsyncs running outside the turn.
        WalOptions options = WalTestSupport.options("wal.sync", "always", "wal.segment.bytes", "64KiB",
                "wal.caller.commits", "true");
        AtomicLong lastCompleted = new AtomicLong();
        AtomicInteger completions = new AtomicInteger();
        AtomicInteger onWriterThreads = new AtomicInteger();
        AtomicReference<String> problem = new AtomicReference<>();
        int total = BURSTING_WRITERS * BURSTS * BURST + PLAIN_WRITES;
        CountDownLatch allDone = new CountDownLatch(total);
        try (WalStorageEngine engine = WalTestSupport.open(dir, options)) {
            Thread[] writers = new Thread[BURSTING_WRITERS + 1];
            for (int w = 0; w <= BURSTING_WRITERS; w++) {
                boolean bursting = w < BURSTING_WRITERS;
                int writer = w;
                writers[w] = new Thread(() -> {
                    int writes = bursting ? BURSTS * BURST : PLAIN_WRITES;
                    for (int i = 0; i < writes; i++) {
                        WriteBatch batch = new WriteBatch().put(WalTestSupport.bytes("w" + writer + "/k" + (i % 500)),
                                WalTestSupport.bytes("w" + writer + "/v" + i));
                        engine.submit(batch, Durability.DURABLE, (sequence, failure) -> {
                            if (failure != null) {
                                problem.compareAndSet(null, "a write failed: " + failure);
                            } else if (lastCompleted.getAndSet(sequence) >= sequence) {
                                problem.compareAndSet(null, "sequence " + sequence + " completed after a later one");
                            }
                            if (!Thread.currentThread().getName().equals(GroupCommitAgent.ROLE)) {
                                onWriterThreads.incrementAndGet();
                            }
                            completions.incrementAndGet();
                            allDone.countDown();
                        });
                        if (bursting && (i + 1) % BURST == 0) {
                            engine.endOfBurst(EventLoopFsync.NONE);
                        }
                    }
                }, (bursting ? "bursting-writer-" : "plain-writer-") + w);
                writers[w].start();
            }
            for (Thread writer : writers) {
                writer.join();
            }
            assertTrue(allDone.await(60, TimeUnit.SECONDS), "only " + completions.get() + " of " + total
                    + " writes completed");
            assertNull(problem.get());
            assertEquals(total, completions.get(), "every write completes exactly once");
            assertTrue(onWriterThreads.get() > 0, "the bursting writers committed some writes themselves");
            assertTrue(((Number) engine.stats().get("segments")).longValue() > 3, "the log rolled several times");
        }
        try (WalStorageEngine reopened = WalTestSupport.open(dir, options)) {
            for (int w = 0; w <= BURSTING_WRITERS; w++) {
                int writes = w < BURSTING_WRITERS ? BURSTS * BURST : PLAIN_WRITES;
                for (int k = 0; k < 500; k++) {
                    int last = writes - 1 - Math.floorMod(writes - 1 - k, 500);
                    assertEquals("w" + w + "/v" + last, WalTestSupport.value(reopened, "w" + w + "/k" + k));
                }
            }
        }
    }

    @Test
    void aWriteFromACallerThatSkipsEndOfBurstStillCompletes() throws Exception {
        try (WalStorageEngine engine = WalTestSupport.open(dir, WalTestSupport.options("wal.caller.commits", "true"))) {
            WalTestSupport.put(engine, "before", "1");
            engine.endOfBurst(EventLoopFsync.NONE); // this thread now commits its own bursts...
            // ...but forgets to end this one: the agent's thread still commits it.
            assertEquals(2, WalTestSupport.put(engine, "after", "2"));
            assertEquals("2", WalTestSupport.value(engine, "after"));
        }
    }

    @Test
    void withCallerCommitsOffTheAgentThreadCompletesEveryWrite() throws Exception {
        try (WalStorageEngine engine = WalTestSupport.open(dir, WalTestSupport.options("wal.caller.commits", "false"))) {
            AtomicInteger elsewhere = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(200);
            for (int i = 0; i < 200; i++) {
                engine.submit(new WriteBatch().put(WalTestSupport.bytes("k" + i), WalTestSupport.bytes("v")),
                        Durability.DURABLE, (sequence, failure) -> {
                            if (!Thread.currentThread().getName().equals(GroupCommitAgent.ROLE)) {
                                elsewhere.incrementAndGet();
                            }
                            done.countDown();
                        });
                engine.endOfBurst(EventLoopFsync.NONE);
            }
            assertTrue(done.await(60, TimeUnit.SECONDS));
            assertEquals(0, elsewhere.get(), "writes completed off the group-commit thread");
        }
    }
}
