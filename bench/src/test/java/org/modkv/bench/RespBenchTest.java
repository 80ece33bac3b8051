package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.modkv.bench.BenchOptions.Protocol;
import org.modkv.bench.BenchOptions.Workload;

/** The whole runner over the Netty RESP target, against a small in-test RESP server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RespBenchTest {
    private final MiniRespServer server;

    RespBenchTest() throws IOException {
        server = new MiniRespServer();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    private BenchOptions.Builder options(Workload workload) {
        return BenchOptions.builder().protocol(Protocol.RESP).connect(server.hostPort()).workload(workload)
                .clients(8).connections(2).requests(2000).keys(500).warmup(Duration.ZERO);
    }

    private static BenchResult run(BenchOptions options) {
        return new BenchRunner(options, null, 99, o -> TargetSet.open(o, Duration.ofSeconds(5), Duration.ofSeconds(10)))
                .run();
    }

    @Test
    void writeRunMeasuresEveryRequestOverTheAskedConnections() {
        BenchResult result = run(options(Workload.WRITE).build());
        assertEquals(2000, result.ops());
        assertEquals(0, result.errors());
        assertEquals(2, server.connections.get());
        assertEquals(2000, server.commands.get());
        assertTrue(server.keys() > 0 && server.keys() <= 500);
        assertTrue(result.percentileMs(50) > 0 && result.maxMs() >= result.percentileMs(99));
    }

    @Test
    void preloadWritesEveryKeySoReadsAllHit() {
        BenchResult result = run(options(Workload.READ).preload(true).build());
        assertEquals(500, server.keys());
        assertEquals(2000, result.ops());
        assertEquals(0, result.misses());
        assertEquals(0, result.errors());
    }

    @Test
    void readsOfAnEmptyServerAreCountedAsMisses() {
        BenchResult result = run(options(Workload.READ).build());
        assertEquals(2000, result.ops());
        assertEquals(2000, result.misses());
        assertTrue(result.summaryTable().contains("found nothing"));
    }

    @Test
    void mixedBulkAndSearchWorkloadsRun() {
        BenchResult mixed = run(options(Workload.MIXED).readRatio(0.8).build());
        assertEquals(2000, mixed.ops());
        BenchResult bulk = run(options(Workload.BULK).batch(5).build());
        assertEquals(2000, bulk.ops());
        assertEquals(0, bulk.errors());
        BenchResult search = run(options(Workload.SEARCH).requests(300).build());
        assertEquals(300, search.ops());
        assertEquals(0, search.errors());
        assertTrue(search.misses() < 300, "values are made of the words searched for");
    }

    @Test
    void serverErrorsAreCountedByKind() {
        server.knowsSearch = false;
        BenchResult result = run(options(Workload.SEARCH).requests(50).build());
        assertEquals(0, result.ops());
        assertEquals(50, result.errors());
        String kind = result.errorKinds().keySet().iterator().next();
        assertTrue(kind.startsWith("RESP error: ERR unknown command 'SEARCH'"), kind);
    }

    @Test
    void lostConnectionsEndInErrorsNotAHang() throws Exception {
        BenchRunner runner = new BenchRunner(options(Workload.WRITE).duration(Duration.ofMillis(1500)).build(), null, 5,
                o -> TargetSet.open(o, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        CompletableFuture<BenchResult> running = CompletableFuture.supplyAsync(runner::run);
        while (server.commands.get() < 100) {
            Thread.sleep(10);
        }
        server.close();
        BenchResult result = running.get(30, TimeUnit.SECONDS);
        assertTrue(result.errors() > 0, result.summaryTable());
        assertTrue(result.errorKinds().keySet().stream().anyMatch(k -> k.contains("connection to")), result.errorKinds()
                .toString());
    }

    @Test
    void unreachableServerIsAClearError() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        BenchOptions options = options(Workload.WRITE).connect("127.0.0.1:" + port).build();
        BenchException e = assertThrows(BenchException.class, () -> run(options));
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port), e.getMessage());
    }
}
