package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.api.transport.RequestOperation;
import org.modkv.netty.NettyIo;
import org.modkv.api.transport.Transport;
import org.modkv.client.KeyValue;
import org.modkv.client.ModkvClient;
import org.modkv.client.ModkvClientException;
import org.modkv.client.SearchHit;
import org.modkv.testkit.TestTransportContext;
import org.modkv.testkit.transport.InMemoryRequestHandler;
import org.modkv.testkit.transport.RecordedLatencies;

class TcpTransportTest {
    private final InMemoryRequestHandler handler = TcpTestContexts.handler();
    private final List<AutoCloseable> open = new ArrayList<>();

    private TestTransportContext context;

    private Transport start(Map<String, String> settings) throws Exception {
        context = TcpTestContexts.context(settings, handler);
        Transport transport = new TcpTransportProvider().start(context);
        open.add(transport);
        return transport;
    }

    private ModkvClient connect(Transport transport) {
        ModkvClient client = ModkvClient.connect(transport.endpoints().get(0).hostPort());
        open.add(0, client);
        return client;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void endpointIsNamedTcpAndCarriesTheBoundPort() throws Exception {
        Transport transport = start(Map.of());
        List<Endpoint> endpoints = transport.endpoints();
        assertEquals(1, endpoints.size());
        assertEquals("tcp", endpoints.get(0).name());
        assertTrue(endpoints.get(0).address().getPort() > 0, "port 0 is replaced by the real one");
        assertTrue(endpoints.get(0).hostPort().startsWith("127.0.0.1:"), endpoints.get(0).hostPort());
    }

    @Test
    void eachServedRequestIsRecordedUnderItsOperationAndTheBytesAreCounted() throws Exception {
        Transport transport = start(Map.of());
        ModkvClient client = connect(transport);
        client.put("k", "v");
        client.get("k");
        client.getMany(List.of(utf8("k"), utf8("j")));
        client.delete("k");
        handler.failNext(ErrorCode.OVERLOADED, "retry later");
        assertThrows(ModkvClientException.class, () -> client.put(utf8("k"), utf8("v")));
        RecordedLatencies latencies = context.latencies();
        assertEquals(5, latencies.await(5, 5_000), latencies.all().toString());
        assertEquals(2, latencies.of(RequestOperation.PUT).size(), latencies.all().toString());
        assertEquals(1, latencies.of(RequestOperation.PUT).stream().filter(RecordedLatencies.Served::failed).count());
        assertEquals(2, latencies.of(RequestOperation.GET).size(), "get and get_many");
        assertEquals(1, latencies.of(RequestOperation.DELETE).size());
        assertTrue(latencies.all().stream().allMatch(s -> s.nanos() >= 0));
        Map<String, Object> stats = transport.stats();
        assertTrue((Long) stats.get("bytes_received") > 0, stats.toString());
        assertTrue((Long) stats.get("bytes_sent") > 0, stats.toString());
    }

    @Test
    void everyRequestKindRoundTripsThroughTheClient() throws Exception {
        ModkvClient client = connect(start(Map.of()));
        assertEquals("test-node", client.serverNodeId());

        client.put("fox", "the quick brown fox");
        client.put(utf8("dog"), utf8("the lazy dog"));
        assertEquals(Optional.of("the quick brown fox"), client.get("fox"));
        assertEquals(Optional.empty(), client.get("cat"));

        List<Optional<byte[]>> many = client.getMany(List.of(utf8("dog"), utf8("cat"), utf8("fox")));
        assertEquals(3, many.size());
        assertArrayEquals(utf8("the lazy dog"), many.get(0).orElseThrow());
        assertTrue(many.get(1).isEmpty());
        assertArrayEquals(utf8("the quick brown fox"), many.get(2).orElseThrow());

        client.bulkPut(List.of(KeyValue.of("a", "red fox"), KeyValue.of("b", "red dog")));
        assertEquals(Optional.of("red dog"), client.get("b"));

        List<SearchHit> all = client.search(List.of("red", "fox"), false);
        assertEquals(List.of("a"), all.stream().map(SearchHit::keyAsString).toList());
        List<SearchHit> any = client.search(List.of("red", "fox"), true);
        assertEquals(List.of("a", "b", "fox"), any.stream().map(SearchHit::keyAsString).toList(), "best first, then by key");

        assertTrue(client.delete("fox"));
        assertFalse(client.delete("fox"));
        assertEquals(Optional.empty(), client.get("fox"));

        client.ping();
        Map<String, Map<String, String>> stats = client.stats();
        assertEquals(List.of("server", "replication", "storage", "requests", "keyspace", "tcp"),
                List.copyOf(stats.keySet()), "kernel sections, then tcp");
        assertEquals("3", stats.get("keyspace").get("keys"));
        assertEquals("1", stats.get("tcp").get("connections.open"));
    }

    @Test
    void bulkIsAppliedAtomically() throws Exception {
        ModkvClient client = connect(start(Map.of()));
        ModkvClientException e = assertThrows(ModkvClientException.class, () -> client.bulkPut(List.of(
                KeyValue.of("ok-1", "v"), new KeyValue(new byte[TcpTestContexts.LIMITS.maxKeyBytes() + 1], utf8("key too long")),
                KeyValue.of("ok-2", "v"))));
        assertEquals("TOO_LARGE", e.code());
        assertEquals(Optional.empty(), client.get("ok-1"), "nothing of a failed batch is applied");
        assertEquals(Optional.empty(), client.get("ok-2"));
    }

    @Test
    void nodeErrorsReachTheClientWithTheirCodeMessageAndLeader() throws Exception {
        ModkvClient client = connect(start(Map.of()));

        ModkvClientException noIndex = assertThrows(ModkvClientException.class,
                () -> client.query("nope", "search", List.of("x"), Map.of()));
        assertEquals("NO_SUCH_INDEX", noIndex.code());
        assertEquals("no such index 'nope'; indexes running: fulltext, tfidf", noIndex.getMessage());

        ModkvClientException tooLarge = assertThrows(ModkvClientException.class,
                () -> client.put(utf8("big"), new byte[TcpTestContexts.LIMITS.maxValueBytes() + 1]));
        assertEquals("TOO_LARGE", tooLarge.code());
        assertTrue(tooLarge.getMessage().contains("node.max.value.bytes"), tooLarge.getMessage());

        handler.failNext(ErrorCode.NOT_LEADER, "this node is not the leader; the leader is n2");
        ModkvClientException notLeader = assertThrows(ModkvClientException.class, () -> client.put("k", "v"));
        assertEquals("NOT_LEADER", notLeader.code());
        assertEquals(Optional.of("n2"), notLeader.leaderId());

        handler.failNext(ErrorCode.STORAGE_CORRUPT,
                "write-ahead log file /data/storage-wal/00000000000000000002.wal is corrupt at byte offset 4096");
        ModkvClientException corrupt = assertThrows(ModkvClientException.class, () -> client.get("k"));
        assertEquals("STORAGE_CORRUPT", corrupt.code());
        assertTrue(corrupt.getMessage().contains("00000000000000000002.wal is corrupt at byte offset 4096"),
                corrupt.getMessage());

        handler.throwNext(new IllegalStateException("simulated bug for k"));
        ModkvClientException bug = assertThrows(ModkvClientException.class, () -> client.get("k"));
        assertEquals("INTERNAL", bug.code());
        assertTrue(bug.getMessage().contains("simulated bug for k"), bug.getMessage());

        client.put("still", "works");
        assertEquals(Optional.of("works"), client.get("still"), "errors do not end the connection");
    }

    @Test
    void writesCompletedOnlyAtTheEndOfAnEventLoopPassGetTheirReplies() throws Exception {
        ModkvClient client = connect(start(Map.of()));
        assertTrue(client.get("absent").isEmpty());
        assertEquals(List.of(), handler.endOfBurstThreads(), "a pass without writes does not end a burst");
        handler.holdWritesUntilEndOfBurst(true);
        client.put("one", "1");
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            puts.add(client.putAsync(utf8("k" + i), utf8("v" + i)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("v199", client.get("k199").orElseThrow());
        List<String> threads = handler.endOfBurstThreads();
        assertTrue(!threads.isEmpty() && threads.size() <= 201, "one call per pass with writes: " + threads.size());
        assertTrue(threads.stream().allMatch(name -> name.startsWith("modkv-tcp-io")), "on the event loop: " + threads);
        assertTrue(handler.endOfBurstFsyncs().stream().allMatch(f -> f == EventLoopFsync.NONE),
                "without tcp.io.async.fsync a loop offers no fsync");
    }

    @Test
    void withAsyncFsyncEachEndOfAPassCarriesItsLoopsIoUringFsync() throws Exception {
        assumeTrue(NettyIo.IO_URING.unavailability() == null, "io_uring cannot run here");
        ModkvClient client = connect(start(Map.of("tcp.io.transport", "io_uring", "tcp.io.async.fsync", "true",
                "tcp.io.threads", "2")));
        for (int i = 0; i < 50; i++) {
            client.put("k" + i, "v" + i);
        }
        List<String> threads = handler.endOfBurstThreads();
        List<EventLoopFsync> fsyncs = handler.endOfBurstFsyncs();
        assertFalse(fsyncs.isEmpty());
        Map<String, EventLoopFsync> byLoop = new java.util.HashMap<>();
        for (int i = 0; i < fsyncs.size(); i++) {
            assertNotSame(EventLoopFsync.NONE, fsyncs.get(i), "an io_uring loop passes its fsync");
            EventLoopFsync first = byLoop.putIfAbsent(threads.get(i), fsyncs.get(i));
            assertTrue(first == null || first == fsyncs.get(i), "a loop always passes its own fsync");
        }
    }

    @Test
    void manyConcurrentRequestsPipelineOnOneConnection() throws Exception {
        ModkvClient client = connect(start(Map.of()));
        putAndReadBackFromManyThreads(client);
        assertEquals("1", client.stats().get("tcp").get("connections.accepted"), "all on one connection");
    }

    @Test
    void manyConcurrentRequestsSpreadOverAClientsConnectionsOnSharedIoThreads() throws Exception {
        Transport transport = start(Map.of());
        ModkvClient client = ModkvClient.connect(org.modkv.client.ClientOptions
                .defaults(transport.endpoints().get(0).hostPort()).withConnections(4, 2));
        open.add(0, client);
        putAndReadBackFromManyThreads(client);
        assertEquals("4", client.stats().get("tcp").get("connections.accepted"));
        assertEquals(4, client.openConnections());
    }

    /** 4 threads each put 250 keys and read each back as soon as its put is done; checks the key count. */
    private static void putAndReadBackFromManyThreads(ModkvClient client) throws Exception {
        int threads = 4;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        byte[] key = utf8("k-" + thread + "-" + i);
                        byte[] value = utf8("v-" + thread + "-" + i);
                        futures.add(client.putAsync(key, value).thenCompose(ignored -> client.getAsync(key))
                                .thenAccept(read -> assertArrayEquals(value, read.orElseThrow())));
                    }
                    return futures;
                }));
            }
            for (Future<List<CompletableFuture<Void>>> f : submitted) {
                CompletableFuture.allOf(f.get().toArray(CompletableFuture[]::new)).join();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(String.valueOf(threads * perThread), client.stats().get("keyspace").get("keys"));
    }

    @Test
    void aSlowReplyDoesNotHoldBackLaterOnesOnTheSameConnection() throws Exception {
        ModkvClient client = connect(start(Map.of()));
        client.put("x", "held value");
        handler.parkReads(true);
        CompletableFuture<Optional<byte[]>> slow = client.getAsync(utf8("x"));
        for (int i = 0; i < 2000 && handler.parkedCount() == 0; i++) {
            Thread.sleep(5);
        }
        assertEquals(1, handler.parkedCount(), "the held get reached the handler");

        client.put("fast", "f");
        assertArrayEquals(utf8("f"), handler.stored(utf8("fast")).orElseThrow(), "answered while the get is pending");
        assertFalse(slow.isDone());

        handler.parkReads(false);
        assertEquals(1, handler.releaseParkedNewestFirst());
        assertArrayEquals(utf8("held value"), slow.join().orElseThrow());
    }

    @Test
    void inFlightLimitPausesReadingYetServesAWholePipeline() throws Exception {
        ModkvClient client = connect(start(Map.of("tcp.max.inflight", "1")));
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            puts.add(client.putAsync(utf8("k" + i), utf8("v" + i)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        assertEquals(Optional.of("v199"), client.get("k199"));
        long paused = Long.parseLong(client.stats().get("tcp").get("reads.paused"));
        assertTrue(paused > 0, "reading paused at the in-flight limit: " + paused);
    }

    @Test
    void handshakeTellsTheClientTheServersFrameLimit() throws Exception {
        ModkvClient client = connect(start(Map.of("tcp.max.frame.bytes", "4KiB")));
        ModkvClientException e = assertThrows(ModkvClientException.class, () -> client.put(utf8("k"), new byte[5000]));
        assertEquals("TOO_LARGE", e.code());
        assertTrue(e.getMessage().contains("4096"), e.getMessage());
        client.put("k", "small");
        assertEquals(Optional.of("small"), client.get("k"));
    }

    @Test
    void closeEndsOpenConnections() throws Exception {
        Transport transport = new TcpTransportProvider().start(TcpTestContexts.context(Map.of(), handler));
        ModkvClient client = connect(transport);
        client.ping();
        transport.close();
        ModkvClientException e = assertThrows(ModkvClientException.class, client::ping);
        assertEquals("UNAVAILABLE", e.code());
        transport.close(); // idempotent
    }
}
