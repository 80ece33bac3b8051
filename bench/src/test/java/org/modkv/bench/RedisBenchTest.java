package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.bench.BenchOptions.Protocol;
import org.modkv.bench.BenchOptions.Workload;

/** Against a real Redis, when {@code redis-server} is on this machine (skipped otherwise). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisBenchTest {
    @TempDir
    Path dir;

    private static Path redisServer() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(folder, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void measuresRedisWithTheSameTool() throws Exception {
        Path redis = redisServer();
        assumeTrue(redis != null, "redis-server is not installed");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process process = new ProcessBuilder(redis.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            awaitPort(port);
            BenchOptions options = BenchOptions.builder().protocol(Protocol.RESP).connect("127.0.0.1:" + port)
                    .workload(Workload.READ).preload(true).keys(1000).clients(8).connections(2).requests(3000)
                    .warmup(Duration.ofMillis(200)).build();
            BenchResult result = new BenchRunner(options, null).run();
            assertEquals(3000, result.ops());
            assertEquals(0, result.errors());
            assertEquals(0, result.misses());
            BenchResult bulk = new BenchRunner(BenchOptions.builder().protocol(Protocol.RESP)
                    .connect("127.0.0.1:" + port).workload(Workload.BULK).requests(500).warmup(Duration.ZERO)
                    .clients(4).build(), null).run();
            assertEquals(500, bulk.ops());
            assertEquals(0, bulk.errors());
        } finally {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitPort(int port) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
