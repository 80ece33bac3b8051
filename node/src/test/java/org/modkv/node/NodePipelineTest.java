package org.modkv.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.RequestOperation;

class NodePipelineTest {
    @TempDir
    Path dir;
    private ModkvNode node;
    private RequestHandler requests;
    private final ProbeTransportProvider probe = new ProbeTransportProvider();

    @BeforeEach
    void start() throws IOException {
        node = ModkvNode.start(NodeOptions.of(Map.of("data.dir", dir.toString(), "storage", "memory",
                        "transports", "probe", "indexes", "contains", "node.max.key.bytes", "8",
                        "node.max.value.bytes", "64", "node.max.batch.bytes", "256", "metrics.listen", "127.0.0.1:0")),
                List.of(new MemoryStorageProvider(), new ValueContainsIndexProvider(), probe));
        requests = node.requests();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static ModkvException failure(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertTrue(e.getCause() instanceof ModkvException, String.valueOf(e.getCause()));
        return (ModkvException) e.getCause();
    }

    @Test
    void putThenGetThenDelete() {
        requests.put("k".getBytes(UTF_8), "v".getBytes(UTF_8)).join();
        assertArrayEquals("v".getBytes(UTF_8), requests.get("k".getBytes(UTF_8), Consistency.DEFAULT).join().orElseThrow());
        assertTrue(requests.delete("k".getBytes(UTF_8)).join());
        assertFalse(requests.delete("k".getBytes(UTF_8)).join());
        assertTrue(requests.get("k".getBytes(UTF_8), Consistency.DEFAULT).join().isEmpty());
    }

    @Test
    void aTransportsEndOfBurstReachesStorageThroughStandaloneReplicationWithTheLoopsFsync() {
        int before = MemoryStorageProvider.END_OF_BURSTS.get();
        EventLoopFsync loopFsync = (file, tag, done) -> false;
        requests.endOfBurst(loopFsync);
        assertEquals(before + 1, MemoryStorageProvider.END_OF_BURSTS.get());
        assertSame(loopFsync, MemoryStorageProvider.lastLoopFsync, "storage gets the loop's own fsync");
    }

    @Test
    void atomicBatchAppliesEveryEntry() {
        requests.put("gone".getBytes(UTF_8), "x".getBytes(UTF_8)).join();
        requests.write(new WriteBatch().put("a".getBytes(UTF_8), "1".getBytes(UTF_8))
                .put("b".getBytes(UTF_8), "2".getBytes(UTF_8)).delete("gone".getBytes(UTF_8))).join();
        List<java.util.Optional<byte[]>> values = requests.getAll(List.of("a".getBytes(UTF_8), "b".getBytes(UTF_8),
                "gone".getBytes(UTF_8)), Consistency.DEFAULT).join();
        assertArrayEquals("1".getBytes(UTF_8), values.get(0).orElseThrow());
        assertArrayEquals("2".getBytes(UTF_8), values.get(1).orElseThrow());
        assertTrue(values.get(2).isEmpty());
        assertEquals(2, node.requests().status().keys());
    }

    @Test
    void refusesOversizedKeyNamingTheLimit() {
        ModkvException e = failure(requests.put("123456789".getBytes(UTF_8), new byte[1]));
        assertEquals(ErrorCode.TOO_LARGE, e.code());
        assertEquals("key of 9 bytes exceeds node.max.key.bytes=8", e.getMessage());
        assertEquals(ErrorCode.TOO_LARGE, failure(requests.get(new byte[9], Consistency.DEFAULT)).code());
    }

    @Test
    void refusesOversizedValueAndBatchAndWritesNothing() {
        ModkvException value = failure(requests.put("k".getBytes(UTF_8), new byte[65]));
        assertEquals("value of 65 bytes exceeds node.max.value.bytes=64", value.getMessage());
        WriteBatch big = new WriteBatch();
        for (int i = 0; i < 10; i++) {
            big.put(("k" + i).getBytes(UTF_8), new byte[30]);
        }
        ModkvException batch = failure(requests.write(big));
        assertTrue(batch.getMessage().contains("exceeds node.max.batch.bytes=256"), batch.getMessage());
        assertEquals(0, requests.status().keys());
    }

    @Test
    void refusesEmptyBatch() {
        assertEquals(ErrorCode.INVALID_REQUEST, failure(requests.write(new WriteBatch())).code());
    }

    @Test
    void queryingAMissingIndexListsTheRunningOnes() {
        ModkvException e = failure(requests.query("fulltext", IndexQuery.of("search", List.of("x")), Freshness.FRESH));
        assertEquals(ErrorCode.NO_SUCH_INDEX, e.code());
        assertEquals("no such index 'fulltext'; indexes running: contains", e.getMessage());
    }

    @Test
    void indexQuerySeesEveryAcknowledgedWrite() throws Exception {
        int writers = 4;
        int perWriter = 200;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perWriter; i++) {
                    requests.put(("w" + id + "-" + i).getBytes(UTF_8), ("hello " + id).getBytes(UTF_8)).join();
                    if (i % 50 == 49) {
                        List<ScoredKey> hits = requests.query("contains",
                                IndexQuery.of("contains", List.of("hello " + id)), Freshness.FRESH).join().hits();
                        assertEquals(i + 1, hits.size());
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(writers * perWriter, requests.query("contains", IndexQuery.of("contains", List.of("hello")), Freshness.FRESH).join().hits().size());
    }

    @Test
    void statusAndStatsDescribeAStandaloneNode() {
        requests.put("k".getBytes(UTF_8), "v".getBytes(UTF_8)).join();
        assertEquals(ReplicationRole.STANDALONE, requests.status().replication().role());
        Map<String, Map<String, Object>> stats = requests.stats();
        assertEquals("standalone", stats.get("replication").get("role"));
        assertEquals(1L, stats.get("keyspace").get("keys"));
        assertEquals(42L, stats.get("probe").get("bytes_received"), "a transport's own figures get a section");
    }

    @Test
    void transportsReportEachRequestsLatencyIntoPerOperationHistograms() {
        LatencyRecorder latency = probe.context().latency();
        long t0 = System.nanoTime();
        latency.record(RequestOperation.PUT, t0, t0 + 1_500_000, false);
        latency.record(RequestOperation.PUT, t0, t0 + 3_000_000, true);
        latency.record(RequestOperation.GET, t0, t0 + 200_000, false);
        Map<String, Object> stats = requests.stats().get("requests");
        assertEquals(2L, stats.get("put.count"));
        assertEquals(1L, stats.get("put.errors"));
        assertEquals(1L, stats.get("get.count"));
        assertEquals(0L, stats.get("delete.count"));
        assertEquals(1500L, (double) (long) stats.get("put.p50_us"), 2.0);
        assertEquals(3000L, (double) (long) stats.get("put.max_us"), 4.0);
        assertEquals(200L, (double) (long) stats.get("get.p50_us"), 1.0);
        assertFalse(stats.containsKey("delete.p50_us"), "no percentiles before the first request");
    }

    @Test
    void recordingALatencyAllocatesNothing() {
        LatencyRecorder latency = probe.context().latency();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        RequestOperation[] operations = RequestOperation.values();
        for (int i = 0; i < 200_000; i++) { // warm-up: JIT, and the histograms' first interval swap
            latency.record(operations[i % operations.length], 0, i * 1_000L, (i & 7) == 0);
        }
        requests.stats();
        int records = 1_000_000;
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < records; i++) {
            latency.record(operations[i % operations.length], 0, (i % 100_000) * 997L, (i & 7) == 0);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < records / 100, allocated + " bytes allocated for " + records + " recordings");
    }

    @Test
    void metricsEndpointServesPrometheusText() throws Exception {
        requests.put("k".getBytes(UTF_8), "v".getBytes(UTF_8)).join();
        long t0 = System.nanoTime();
        probe.context().latency().record(RequestOperation.PUT, t0, t0 + 1_000_000, false);
        String ready = node.readyLine();
        assertTrue(ready.matches("modkv ready node=node1 metrics=127\\.0\\.0\\.1:\\d+"), ready);
        String base = "http://" + ready.substring(ready.indexOf("metrics=") + 8);
        java.net.HttpURLConnection metrics = (java.net.HttpURLConnection) new java.net.URL(base + "/metrics").openConnection();
        assertEquals(200, metrics.getResponseCode());
        assertTrue(metrics.getContentType().startsWith("text/plain; version=0.0.4"), metrics.getContentType());
        String body;
        try (java.io.InputStream in = metrics.getInputStream()) {
            body = new String(in.readAllBytes(), UTF_8);
        }
        List<String> lines = body.lines().toList();
        assertTrue(lines.contains("modkv_requests_count{op=\"put\"} 1"), body);
        assertTrue(lines.contains("modkv_replication_role{value=\"standalone\"} 1"), body);
        assertTrue(lines.contains("modkv_keyspace_keys 1"), body);
        assertTrue(lines.contains("modkv_indexes_lag_sequences{index=\"contains\"} 0"), body);
        assertTrue(lines.contains("modkv_indexes_state{index=\"contains\",value=\"ok\"} 1"), body);
        assertTrue(lines.contains("modkv_indexes_failures{index=\"contains\"} 0"), body);
        assertTrue(body.contains("modkv_indexes_lag_p99_ms{index=\"contains\"} "), body);
        java.net.HttpURLConnection missing = (java.net.HttpURLConnection) new java.net.URL(base + "/nope").openConnection();
        assertEquals(404, missing.getResponseCode());
    }

    @Test
    void indexesSeeEveryBatchAsCommittedWhenReplicationReusesTheBatchItLends() throws Exception {
        node.close();
        try (ModkvNode reusing = ModkvNode.start(NodeOptions.of(Map.of("data.dir", dir.resolve("reusing").toString(),
                        "storage", "memory", "replication", "reusing", "transports", "", "indexes", "contains",
                        "metrics.listen", "off")),
                List.of(new MemoryStorageProvider(), new ValueContainsIndexProvider(), new ReusingBatchReplicationProvider()))) {
            RequestHandler handler = reusing.requests();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                writes.add(handler.put(("k" + i).getBytes(UTF_8), ("value " + i).getBytes(UTF_8)));
            }
            writes.forEach(CompletableFuture::join);
            assertEquals(500, handler.query("contains", IndexQuery.of("contains", List.of("value")), Freshness.FRESH)
                    .join().totalHits());
            assertEquals(0, handler.query("contains", IndexQuery.of("contains", List.of("refilled")), Freshness.FRESH)
                    .join().totalHits(), "the index kept a reference to the lent batch");
        }
    }

    @Test
    void secondNodeOnTheSameDataDirIsRefused() {
        IOException e = assertThrows(IOException.class, () -> ModkvNode.start(NodeOptions.of(Map.of(
                "data.dir", dir.toString(), "storage", "memory", "transports", "", "indexes", "", "metrics.listen", "off")),
                List.of(new MemoryStorageProvider())));
        assertTrue(e.getMessage().contains("is in use by another modkv node"), e.getMessage());
    }

    @Test
    void storageFailureStopsTheNode() throws InterruptedException {
        requests.put("fine".getBytes(UTF_8), "v".getBytes(UTF_8)).join();
        assertEquals(ErrorCode.STORAGE_FAILURE, failure(requests.put("poison".getBytes(UTF_8), new byte[1])).code());
        assertTrue(node.awaitClosed(30, java.util.concurrent.TimeUnit.SECONDS), "node did not stop");
        assertTrue(node.failure().isPresent());
        assertEquals(ErrorCode.SHUTTING_DOWN, failure(requests.put("after".getBytes(UTF_8), new byte[1])).code());
    }

    @Test
    void aReadOfDamagedDataFailsWithStorageCorruptNamingTheFileAndTheNodeKeepsServing() {
        requests.put("fine".getBytes(UTF_8), "v".getBytes(UTF_8)).join();
        ModkvException e = failure(requests.get("rotten".getBytes(UTF_8), Consistency.DEFAULT));
        assertEquals(ErrorCode.STORAGE_CORRUPT, e.code());
        assertTrue(e.getMessage().contains("/data/rotten.wal is corrupt at byte offset 77"), e.getMessage());
        assertTrue(node.failure().isEmpty(), "damaged data is not a reason to stop the node");
        assertArrayEquals("v".getBytes(UTF_8), requests.get("fine".getBytes(UTF_8), Consistency.DEFAULT).join()
                .orElseThrow());
    }

    @Test
    void requestsAfterCloseFailWithShuttingDown() {
        node.close();
        assertEquals(ErrorCode.SHUTTING_DOWN, failure(requests.put("k".getBytes(UTF_8), new byte[1])).code());
    }
}
