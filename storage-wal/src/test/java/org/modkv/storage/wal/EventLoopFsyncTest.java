package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.EventLoopFsync;

/**
 * Caller commits on event loops that pass their {@code EventLoopFsync} to {@code endOfBurst}: the
 * loop writes its pass's group, starts the fsync on its "ring" and goes on; the fsync's return, on
 * the loop, completes the group. Real threads and files throughout ({@link TestEventLoop}); every write
 * must complete once, in sequence order, only after an fsync, and be there after a restart,
 * also with small segments rolling while fsyncs are in flight and with a plain writer mixed in.
 * An fsync the loop never ran is forced by storage itself; a failed one fails the log.
 */
class EventLoopFsyncTest {
    private static final int LOOPS = 3;
    private static final int PASSES = 150;
    private static final int PASS = 20;
    private static final int PLAIN_WRITES = 1_000;

    @TempDir
    Path dir;

    private static WalOptions options() {
        // Small segments: the log rolls often, under fsyncs in flight on the loops.
        return WalTestSupport.options("wal.sync", "always", "wal.segment.bytes", "64KiB", "wal.caller.commits", "true");
    }

    @Test
    void passesCommittedOnEventLoopsCompleteOnceInOrderAfterTheirFsyncAndSurviveARestart() throws Exception {
        AtomicLong lastCompleted = new AtomicLong();
        AtomicInteger completions = new AtomicInteger();
        AtomicReference<String> problem = new AtomicReference<>();
        int total = LOOPS * PASSES * PASS + PLAIN_WRITES;
        CountDownLatch allDone = new CountDownLatch(total);
        List<TestEventLoop> loops = new ArrayList<>();
        try (WalStorageEngine engine = WalTestSupport.open(dir, options())) {
            for (int l = 0; l < LOOPS; l++) {
                loops.add(new TestEventLoop("loop-" + l, TestEventLoop.Mode.RUN));
                committingOwnPasses(loops.get(l), engine);
            }
            for (int p = 0; p < PASSES; p++) {
                for (int l = 0; l < LOOPS; l++) {
                    TestEventLoop loop = loops.get(l);
                    int pass = p;
                    int loopIndex = l;
                    loop.execute(() -> {
                        for (int i = 0; i < PASS; i++) {
                            int n = pass * PASS + i;
                            WriteBatch batch = new WriteBatch().put(WalTestSupport.bytes("l" + loopIndex + "/k" + (n % 400)),
                                    WalTestSupport.bytes("l" + loopIndex + "/v" + n));
                            engine.submit(batch, Durability.DURABLE, (sequence, failure) -> {
                                if (failure != null) {
                                    problem.compareAndSet(null, "a write failed: " + failure);
                                } else if (lastCompleted.getAndSet(sequence) >= sequence) {
                                    problem.compareAndSet(null, "sequence " + sequence + " completed after a later one");
                                }
                                completions.incrementAndGet();
                                allDone.countDown();
                            });
                        }
                        engine.endOfBurst(loop); // the end of the loop's pass
                    });
                }
            }
            Thread plain = new Thread(() -> {
                for (int i = 0; i < PLAIN_WRITES; i++) {
                    engine.submit(new WriteBatch().put(WalTestSupport.bytes("plain/k" + (i % 100)),
                            WalTestSupport.bytes("plain/v" + i)), Durability.DURABLE, (sequence, failure) -> {
                                if (failure != null) {
                                    problem.compareAndSet(null, "a plain write failed: " + failure);
                                }
                                completions.incrementAndGet();
                                allDone.countDown();
                            });
                }
            }, "plain-writer");
            plain.start();
            plain.join();
            assertTrue(allDone.await(60, TimeUnit.SECONDS), "only " + completions.get() + " of " + total
                    + " writes completed");
            assertNull(problem.get());
            assertEquals(total, completions.get(), "every write completes exactly once");
            long started = ((Number) engine.stats().get("event_loop_fsyncs")).longValue();
            int ran = loops.stream().mapToInt(TestEventLoop::fsyncsRun).sum();
            assertTrue(started > 0, "fsyncs were started on the loops");
            assertEquals(started, ran, "every fsync started on a loop ran there");
            assertTrue(((Number) engine.stats().get("segments")).longValue() > 3, "the log rolled several times");
        } finally {
            for (TestEventLoop loop : loops) {
                loop.close();
            }
        }
        try (WalStorageEngine reopened = WalTestSupport.open(dir, options())) {
            int writes = PASSES * PASS;
            for (int l = 0; l < LOOPS; l++) {
                for (int k = 0; k < 400; k++) {
                    int last = writes - 1 - Math.floorMod(writes - 1 - k, 400);
                    assertEquals("l" + l + "/v" + last, WalTestSupport.value(reopened, "l" + l + "/k" + k));
                }
            }
            for (int k = 0; k < 100; k++) {
                assertEquals("plain/v" + (PLAIN_WRITES - 100 + k), WalTestSupport.value(reopened, "plain/k" + k));
            }
        }
    }

    @Test
    void aPassCompletesOnlyWhenItsFsyncReturnsAndTheLoopRunsOtherTasksMeanwhile() throws Exception {
        try (WalStorageEngine engine = WalTestSupport.open(dir, options());
             TestEventLoop loop = new TestEventLoop("loop", TestEventLoop.Mode.HOLD)) {
            committingOwnPasses(loop, engine);
            List<CompletableFuture<Long>> pass = new ArrayList<>();
            loop.execute(() -> {
                for (int i = 0; i < 5; i++) {
                    pass.add(submit(engine, "k" + i, "v" + i));
                }
                engine.endOfBurst(loop);
            });
            // The loop is free while the fsync is held: it runs the next task, and reads see nothing yet.
            CompletableFuture<String> readOnTheLoop = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    readOnTheLoop.complete(String.valueOf(WalTestSupport.value(engine, "k0")));
                } catch (java.io.IOException e) {
                    readOnTheLoop.completeExceptionally(e);
                }
            });
            assertEquals("null", readOnTheLoop.get(30, TimeUnit.SECONDS));
            for (CompletableFuture<Long> write : pass) {
                assertTrue(!write.isDone(), "a write completed before its fsync returned");
            }
            assertEquals(1L, ((Number) engine.stats().get("event_loop_fsyncs")).longValue());
            loop.releaseHeld();
            for (CompletableFuture<Long> write : pass) {
                assertTrue(write.get(30, TimeUnit.SECONDS) > 0);
            }
            assertEquals("v4", WalTestSupport.value(engine, "k4"));
            assertEquals(1, loop.fsyncsRun());
        }
    }

    @Test
    void anFsyncTheLoopNeverRanIsForcedByStorageAndItsWritesComplete() throws Exception {
        writeThroughALoopAndRestart(TestEventLoop.Mode.NOT_RUN);
    }

    @Test
    void aLoopThatRefusesToStartAnFsyncHasItsCallerBlockInOne() throws Exception {
        writeThroughALoopAndRestart(TestEventLoop.Mode.REFUSE);
    }

    @Test
    void aLoopThatPassesNoFsyncHasItsCallerBlockInOneEvenThoughItCouldRunIt() throws Exception {
        writeThroughALoopAndRestart(TestEventLoop.Mode.RUN, false);
    }

    private void writeThroughALoopAndRestart(TestEventLoop.Mode mode) throws Exception {
        writeThroughALoopAndRestart(mode, true);
    }

    /** @param passesItsFsync whether the loop's passes end with its fsync or with {@code NONE} */
    private void writeThroughALoopAndRestart(TestEventLoop.Mode mode, boolean passesItsFsync) throws Exception {
        try (WalStorageEngine engine = WalTestSupport.open(dir, options());
             TestEventLoop loop = new TestEventLoop("loop", mode)) {
            EventLoopFsync loopFsync = passesItsFsync ? loop : EventLoopFsync.NONE;
            committingOwnPasses(loop, engine);
            for (int p = 0; p < 20; p++) {
                List<CompletableFuture<Long>> pass = new ArrayList<>();
                int base = p * 10;
                loop.execute(() -> {
                    for (int i = 0; i < 10; i++) {
                        pass.add(submit(engine, "k" + (base + i), "v" + (base + i)));
                    }
                    engine.endOfBurst(loopFsync);
                });
                waitFor(loop, pass);
                for (CompletableFuture<Long> write : pass) {
                    assertTrue(write.get(30, TimeUnit.SECONDS) > 0);
                }
            }
            long started = ((Number) engine.stats().get("event_loop_fsyncs")).longValue();
            if (mode == TestEventLoop.Mode.REFUSE || !passesItsFsync) {
                assertEquals(0, started, "a loop that refuses, or passes none, starts no fsync");
            } else {
                assertTrue(started > 0, "fsyncs were started on the loop");
            }
            assertEquals(0, loop.fsyncsRun());
        }
        try (WalStorageEngine reopened = WalTestSupport.open(dir, options())) {
            for (int k = 0; k < 200; k++) {
                assertEquals("v" + k, WalTestSupport.value(reopened, "k" + k));
            }
        }
    }

    @Test
    void anFsyncThatFailsOnTheLoopFailsItsWritesAndTheLogRefusesMore() throws Exception {
        try (WalStorageEngine engine = WalTestSupport.open(dir, options());
             TestEventLoop loop = new TestEventLoop("loop", TestEventLoop.Mode.FAIL)) {
            committingOwnPasses(loop, engine);
            // The agent's thread may commit a pass's write by itself (it can find it in the ring
            // before the pass ends), so passes go on until one is committed by the loop, whose fsync fails.
            ExecutionException failed = null;
            String failedKey = null;
            for (int p = 0; p < 100 && failed == null; p++) {
                String key = "k" + p;
                List<CompletableFuture<Long>> pass = new ArrayList<>();
                loop.execute(() -> {
                    pass.add(submit(engine, key, "v"));
                    engine.endOfBurst(loop);
                });
                waitFor(loop, pass);
                try {
                    pass.get(0).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failed = e;
                    failedKey = key;
                }
            }
            assertNotNull(failed, "no write failed although every fsync on the loop fails");
            ModkvException cause = assertInstanceOf(ModkvException.class, failed.getCause());
            assertEquals(ErrorCode.STORAGE_FAILURE, cause.code());
            assertTrue(cause.getMessage().contains("errno " + TestEventLoop.EIO), cause.getMessage());
            assertNull(WalTestSupport.value(engine, failedKey), "a write whose fsync failed is never visible");
            Throwable refused;
            try {
                submit(engine, "c", "3").get(30, TimeUnit.SECONDS);
                throw new AssertionError("a write after the failed fsync was accepted");
            } catch (ExecutionException e) {
                refused = e.getCause();
            } catch (ModkvException e) {
                refused = e;
            }
            assertEquals(ErrorCode.STORAGE_FAILURE, assertInstanceOf(ModkvException.class, refused).code());
            assertEquals(Boolean.TRUE, engine.stats().get("failed"));
        }
    }

    /**
     * Ends an empty pass on {@code loop}, as a transport's loop does from its first pass on: from
     * then on its writes do not wake the agent's thread, which could otherwise commit them before
     * the pass ends.
     */
    private static void committingOwnPasses(TestEventLoop loop, WalStorageEngine engine) throws Exception {
        loop.execute(() -> engine.endOfBurst(loop));
        waitFor(loop, List.of());
    }

    private static CompletableFuture<Long> submit(WalStorageEngine engine, String key, String value) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        engine.submit(new WriteBatch().put(WalTestSupport.bytes(key), WalTestSupport.bytes(value)), Durability.DURABLE,
                (sequence, failure) -> {
                    if (failure != null) {
                        done.completeExceptionally(failure);
                    } else {
                        done.complete(sequence);
                    }
                });
        return done;
    }

    /** Waits until the loop has run the pass that fills {@code pass}. */
    private static void waitFor(TestEventLoop loop, List<CompletableFuture<Long>> filledByThePass) throws Exception {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        loop.execute(() -> ran.complete(null));
        ran.get(30, TimeUnit.SECONDS);
    }
}
