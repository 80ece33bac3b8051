package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;
import org.modkv.api.transport.EventLoopFsync;

/**
 * The write path allocates nothing in steady state, on any thread it runs on: the writers
 * calling {@code offer}, and the group-commit agent that frames, writes, fsyncs, updates the
 * key directory and runs the completions. Writers reuse their batch and completion objects, as
 * the SPI asks of hot-path callers. Measured with {@code ThreadMXBean#getThreadAllocatedBytes}
 * over {@value #MEASURED_WRITES} durable writes ({@code wal.sync=always}) after a warm-up, once
 * with the agent's thread doing all the committing and once with the writers committing their
 * own bursts ({@code wal.caller.commits}, {@code endOfBurst} after every {@value #BURST} writes),
 * where the writers' threads run the whole cycle.
 */
class ZeroAllocationWritePathTest {
    private static final int WRITERS = 2;
    private static final int KEYS_PER_WRITER = 8192;
    private static final int WARMUP_WRITES_PER_WRITER = 150_000;
    private static final int MEASURED_WRITES = 1_000_000;
    private static final double BYTES_PER_WRITE_BUDGET = 1.0;
    /** Writes between two {@code endOfBurst} calls when the writers commit. */
    private static final int BURST = 256;

    @TempDir
    Path dir;

    /** Counts completions; allocation-free, called on the agent thread. */
    private static final class CountingCompletion implements WriteCompletion {
        final AtomicLong completed = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public void complete(long sequence, Throwable error) {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            completed.incrementAndGet();
        }
    }

    /**
     * The group-commit thread's id, once Agrona's runner has started it (the engine returns -1
     * before that; on a slow machine the test can get here first).
     */
    private static long groupCommitThreadId(WalStorageEngine engine) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long id = engine.groupCommitThreadId();
        while (id < 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
            id = engine.groupCommitThreadId();
        }
        assertTrue(id >= 0, "the group-commit thread did not start within 10 s");
        return id;
    }

    private static com.sun.management.ThreadMXBean threads() {
        return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    @ParameterizedTest(name = "writers commit their own bursts: {0}")
    @ValueSource(booleans = {false, true})
    void durableWritesAllocateNothingOnWritersOrTheGroupCommitAgent(boolean callerCommits) throws Exception {
        com.sun.management.ThreadMXBean threads = threads();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM measures allocation per thread");
        try (WalStorageEngine engine = WalTestSupport.open(dir, WalTestSupport.options("wal.sync", "always",
                "wal.caller.commits", String.valueOf(callerCommits)))) {
            int measuredPerWriter = MEASURED_WRITES / WRITERS;
            CyclicBarrier warmedUp = new CyclicBarrier(WRITERS + 1);
            CyclicBarrier measured = new CyclicBarrier(WRITERS + 1);
            long[] writerBytes = new long[WRITERS];
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread[] writers = new Thread[WRITERS];
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers[w] = new Thread(() -> {
                    try {
                        writerBytes[writer] = runWriter(engine, writer, measuredPerWriter, warmedUp, measured);
                    } catch (Throwable t) {
                        writerFailure.compareAndSet(null, t);
                        warmedUp.reset();
                        measured.reset();
                    }
                }, "writer-" + w);
                writers[w].start();
            }
            long agent = groupCommitThreadId(engine);
            warmedUp.await();
            long agentBefore = threads.getThreadAllocatedBytes(agent);
            measured.await();
            long agentAfter = threads.getThreadAllocatedBytes(agent);
            for (Thread writer : writers) {
                writer.join();
            }
            assertNull(writerFailure.get());

            long agentBytes = agentAfter - agentBefore;
            long writersBytes = Arrays.stream(writerBytes).sum();
            double perWrite = (double) (agentBytes + writersBytes) / MEASURED_WRITES;
            System.out.printf("ZeroAllocationWritePathTest: %d durable writes, %d writer threads: writers allocated "
                    + "%d bytes, group-commit agent %d bytes = %.4f bytes per write; %s fsyncs, group size p50 %s "
                    + "max %s%n", MEASURED_WRITES, WRITERS, writersBytes, agentBytes, perWrite,
                    engine.stats().get("fsyncs"), engine.stats().get("group_size_p50"),
                    engine.stats().get("group_size_max"));
            assertTrue(perWrite <= BYTES_PER_WRITE_BUDGET, "allocated " + perWrite + " bytes per write (writers "
                    + writersBytes + ", agent " + agentBytes + "); the budget is " + BYTES_PER_WRITE_BUDGET);
            assertEquals(WRITERS * KEYS_PER_WRITER, engine.keyCount());
        }
    }

    /** Warms up, then measures its own allocation over {@code measuredWrites} writes until all completed. */
    private static long runWriter(WalStorageEngine engine, int writer, int measuredWrites, CyclicBarrier warmedUp,
                                  CyclicBarrier measured) throws Exception {
        byte[][] keys = new byte[KEYS_PER_WRITER][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("writer-" + writer + "-key-" + i).getBytes(StandardCharsets.UTF_8);
        }
        byte[] value = new byte[100];
        Arrays.fill(value, (byte) writer);
        WriteBatch batch = new WriteBatch(256);
        CountingCompletion completion = new CountingCompletion();
        com.sun.management.ThreadMXBean threads = threads();

        long offered = write(engine, batch, keys, value, completion, 0, WARMUP_WRITES_PER_WRITER);
        awaitCompletions(engine, completion, offered);
        warmedUp.await();
        long before = threads.getCurrentThreadAllocatedBytes();
        offered = write(engine, batch, keys, value, completion, offered, measuredWrites);
        awaitCompletions(engine, completion, offered);
        long after = threads.getCurrentThreadAllocatedBytes();
        measured.await();
        if (completion.failure.get() != null) {
            throw new AssertionError("a write failed", completion.failure.get());
        }
        return after - before;
    }

    private static long write(WalStorageEngine engine, WriteBatch batch, byte[][] keys, byte[] value,
                              CountingCompletion completion, long offered, int count) {
        for (int i = 0; i < count; i++) {
            batch.clear().put(keys[(int) (offered % keys.length)], value);
            while (!engine.offer(batch, Durability.DURABLE, completion)) {
                Thread.onSpinWait();
            }
            offered++;
            if (offered % BURST == 0) {
                engine.endOfBurst(EventLoopFsync.NONE);
            }
        }
        return offered;
    }

    private static void awaitCompletions(WalStorageEngine engine, CountingCompletion completion, long offered) {
        engine.endOfBurst(EventLoopFsync.NONE);
        while (completion.completed.get() < offered) {
            Thread.onSpinWait();
        }
    }
}
