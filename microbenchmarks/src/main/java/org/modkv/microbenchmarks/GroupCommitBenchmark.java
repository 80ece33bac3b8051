package org.modkv.microbenchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code wal} engine's write path: one operation is a durable put of a 100-byte value,
 * from {@code offer} to its completion (the calling thread parks until the group-commit agent
 * completes it, as a request waiting for its acknowledgement would). With more threads, more
 * writes share each write and fsync: throughput grows while each write waits about as long.
 * {@code sync=none} measures the pipeline without fsync (ring buffer, agent, key directory,
 * completion); {@code sync=always} adds the fsync of each group.
 *
 * <p>The caller side allocates nothing: batch, key and completion are reused per thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=org.agrona"})
public class GroupCommitBenchmark {
    private static final int KEYS_PER_THREAD = 10_000;

    @Param({"none", "always"})
    public String sync;

    /** {@code wal.idle.strategy}; compare with {@code -p idle=sleeping,backoff}. */
    @Param({"sleeping"})
    public String idle;

    private Path dir;
    private StorageEngine engine;
    private final AtomicInteger threadIds = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = BenchmarkEngines.newDirectory("modkv-bench-group-commit");
        engine = BenchmarkEngines.open("wal", Map.of("wal.sync", sync, "wal.idle.strategy", idle,
                "wal.merge.interval.ms", "0"), dir);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        engine.close();
        BenchmarkEngines.delete(dir);
    }

    /** One writer's reusable batch, keys and completion. */
    @State(Scope.Thread)
    public static class Writer implements WriteCompletion {
        private final WriteBatch batch = new WriteBatch(256);
        private final byte[] value = new byte[100];
        private byte[][] keys;
        private int next;
        private volatile long completed;
        private volatile Throwable failure;
        private Thread thread;

        @Setup(Level.Trial)
        public void setUp(GroupCommitBenchmark benchmark) {
            int id = benchmark.threadIds.getAndIncrement();
            keys = new byte[KEYS_PER_THREAD][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = ("bench-" + id + "-" + i).getBytes(StandardCharsets.UTF_8);
            }
            thread = Thread.currentThread();
        }

        @Override
        public void complete(long sequence, Throwable error) {
            if (error != null) {
                failure = error;
            }
            completed = sequence == -1 ? Long.MAX_VALUE : sequence;
            LockSupport.unpark(thread);
        }

        long putAndWait(StorageEngine engine) {
            batch.clear().put(keys[next], value);
            next = next + 1 == keys.length ? 0 : next + 1;
            completed = 0;
            while (!engine.offer(batch, Durability.DURABLE, this)) {
                Thread.onSpinWait();
            }
            while (completed == 0) {
                LockSupport.park(this);
            }
            if (failure != null) {
                throw new IllegalStateException("write failed", failure);
            }
            return completed;
        }
    }

    @Benchmark
    @Threads(1)
    public long durablePut1Thread(Writer writer) {
        return writer.putAndWait(engine);
    }

    @Benchmark
    @Threads(4)
    public long durablePut4Threads(Writer writer) {
        return writer.putAndWait(engine);
    }

    @Benchmark
    @Threads(16)
    public long durablePut16Threads(Writer writer) {
        return writer.putAndWait(engine);
    }
}
