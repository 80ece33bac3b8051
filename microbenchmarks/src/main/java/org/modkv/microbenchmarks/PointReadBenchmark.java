package org.modkv.microbenchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
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
 * The {@code wal} engine's point read: key directory lookup plus one positional read of the
 * entry (from the page cache here), for a random key among {@code keys}, with a 100-byte value.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=org.agrona"})
public class PointReadBenchmark {
    @Param({"100000", "1000000"})
    public int keys;

    private Path dir;
    private StorageEngine engine;
    private byte[][] keyBytes;

    @Setup(Level.Trial)
    public void load() throws IOException, InterruptedException, ExecutionException {
        dir = BenchmarkEngines.newDirectory("modkv-bench-point-read");
        engine = BenchmarkEngines.open("wal", Map.of("wal.sync", "none", "wal.merge.interval.ms", "0"), dir);
        keyBytes = new byte[keys][];
        byte[] value = new byte[100];
        WriteBatch batch = new WriteBatch(1 << 20);
        for (int i = 0; i < keys; i++) {
            keyBytes[i] = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            batch.put(keyBytes[i], value);
            if (batch.size() == 1000 || i == keys - 1) {
                engine.write(batch, Durability.DURABLE).get();
                batch.clear();
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        engine.close();
        BenchmarkEngines.delete(dir);
    }

    @Benchmark
    @Threads(1)
    public Optional<StoredRecord> get1Thread() throws IOException {
        return engine.get(keyBytes[ThreadLocalRandom.current().nextInt(keys)]);
    }

    @Benchmark
    @Threads(2)
    public Optional<StoredRecord> get2Threads() throws IOException {
        return engine.get(keyBytes[ThreadLocalRandom.current().nextInt(keys)]);
    }
}
