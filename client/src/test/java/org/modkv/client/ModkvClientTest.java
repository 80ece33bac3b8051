package org.modkv.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.ProtocolVersion;
import org.modkv.protocol.wire.Deleted;
import org.modkv.protocol.wire.Error;
import org.modkv.protocol.wire.ErrorCode;
import org.modkv.protocol.wire.HelloOk;
import org.modkv.protocol.wire.Hit;
import org.modkv.protocol.wire.Hits;
import org.modkv.protocol.wire.Ok;
import org.modkv.protocol.wire.Pong;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;
import org.modkv.protocol.wire.StatsEntry;
import org.modkv.protocol.wire.StatsReply;
import org.modkv.protocol.wire.StatsSection;
import org.modkv.protocol.wire.Value;

class ModkvClientTest {

    private static Response helloOk(Request r, int maxFrameBytes) {
        return Response.newBuilder().setId(r.getId()).setHelloOk(HelloOk.newBuilder()
                .setProtocolVersion(ProtocolVersion.CURRENT).setNodeId("n1").setMaxFrameBytes(maxFrameBytes)).build();
    }

    private static Response error(long id, ErrorCode code, String message) {
        return Response.newBuilder().setId(id).setError(Error.newBuilder().setCode(code).setMessage(message)).build();
    }

    /** Answers Hello, then whatever {@code rest} says. */
    private static ScriptedServer.Script handshakeThen(ScriptedServer.Script rest) {
        return r -> r.hasHello() ? List.of(helloOk(r, FrameFormat.DEFAULT_MAX_FRAME_BYTES)) : rest.apply(r);
    }

    private static ClientOptions fast(String hostPort) {
        return ClientOptions.defaults(hostPort).withConnectTimeout(Duration.ofSeconds(5))
                .withRequestTimeout(Duration.ofSeconds(10));
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void handshakeAnnouncesTheProtocolVersionAndLearnsTheNodeId() throws Exception {
        try (ScriptedServer server = new ScriptedServer(handshakeThen(r -> List.of()));
             ModkvClient client = ModkvClient.connect(server.hostPort())) {
            assertEquals("n1", client.serverNodeId());
            Request hello = server.received().get(0);
            assertTrue(hello.hasHello());
            assertEquals(ProtocolVersion.CURRENT, hello.getHello().getProtocolVersion());
            assertTrue(hello.getId() > 0, "request ids start at 1; 0 means the connection");
        }
    }

    @Test
    void connectFailsWithUnavailableNamingTheAddressWhenNothingListens() throws Exception {
        String address = "127.0.0.1:" + deadPort();
        ModkvClientException e = assertThrows(ModkvClientException.class, () -> ModkvClient.connect(address));
        assertEquals("UNAVAILABLE", e.code());
        assertTrue(e.getMessage().contains(address), e.getMessage());
    }

    @Test
    void connectTriesAddressesInOrderUntilOneAnswers() throws Exception {
        String dead = "127.0.0.1:" + deadPort();
        try (ScriptedServer server = new ScriptedServer(handshakeThen(r -> List.of()));
             ModkvClient client = ModkvClient.connect(dead + "," + server.hostPort())) {
            assertEquals(server.hostPort(), client.serverAddress());
        }
    }

    @Test
    void connectReportsEveryAddressWhenAllFail() throws Exception {
        String a = "127.0.0.1:" + deadPort();
        String b = "127.0.0.1:" + deadPort();
        ModkvClientException e = assertThrows(ModkvClientException.class, () -> ModkvClient.connect(a + "," + b));
        assertEquals("UNAVAILABLE", e.code());
        assertTrue(e.getMessage().contains(a) && e.getMessage().contains(b), e.getMessage());
    }

    @Test
    void serverRefusingTheVersionFailsConnectWithItsMessage() throws Exception {
        String message = ProtocolVersion.unsupportedMessage(ProtocolVersion.CURRENT);
        try (ScriptedServer server = new ScriptedServer(r -> List.of(
                error(r.getId(), ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, message)))) {
            ModkvClientException e = assertThrows(ModkvClientException.class, () -> ModkvClient.connect(server.hostPort()));
            assertEquals("UNSUPPORTED_PROTOCOL_VERSION", e.code());
            assertEquals(message, e.getMessage());
        }
    }

    @Test
    void connectionLevelErrorSentBeforeHandshakeFailsConnectWithItsCode() throws Exception {
        Response greeting = error(FrameFormat.CONNECTION_ID, ErrorCode.OVERLOADED,
                "too many connections: limit tcp.max.connections=1");
        try (ScriptedServer server = new ScriptedServer(r -> List.of(), List.of(greeting))) {
            ModkvClientException e = assertThrows(ModkvClientException.class, () -> ModkvClient.connect(server.hostPort()));
            assertEquals("OVERLOADED", e.code());
            assertEquals("too many connections: limit tcp.max.connections=1", e.getMessage());
        }
    }

    @Test
    void repliesAreDecodedIntoResults() throws Exception {
        ScriptedServer.Script script = handshakeThen(r -> {
            Response.Builder reply = Response.newBuilder().setId(r.getId());
            switch (r.getBodyCase()) {
                case GET -> reply.setValue(r.getGet().getKey().toStringUtf8().equals("k")
                        ? Value.newBuilder().setFound(true).setValue(ByteString.copyFromUtf8("v")).build()
                        : Value.getDefaultInstance());
                case PUT, BULK -> reply.setOk(Ok.getDefaultInstance());
                case DELETE -> reply.setDeleted(Deleted.newBuilder().setExisted(true));
                case QUERY -> reply.setHits(Hits.newBuilder().addHits(Hit.newBuilder()
                        .setKey(ByteString.copyFromUtf8(r.getQuery().getIndex() + "/" + r.getQuery().getOperation()
                                + "/" + r.getQuery().getOptionsMap().getOrDefault("mode", "-")))
                        .setScore(0.5)));
                case STATS -> reply.setStats(StatsReply.newBuilder()
                        .addSections(StatsSection.newBuilder().setName("z").addEntries(StatsEntry.newBuilder().setName("b").setValue("2"))
                                .addEntries(StatsEntry.newBuilder().setName("a").setValue("1")))
                        .addSections(StatsSection.newBuilder().setName("a")));
                default -> reply.setError(Error.newBuilder().setCode(ErrorCode.INVALID_REQUEST).setMessage("unexpected"));
            }
            return List.of(reply.build());
        });
        try (ScriptedServer server = new ScriptedServer(script); ModkvClient client = ModkvClient.connect(fast(server.hostPort()))) {
            assertEquals(Optional.of("v"), client.get("k"));
            assertEquals(Optional.empty(), client.get("missing"));
            client.put("k", "v");
            client.bulkPut(List.of(KeyValue.of("a", "1"), KeyValue.of("b", "2")));
            assertTrue(client.delete("k"));
            assertEquals(List.of(new SearchHit("fulltext/search/any".getBytes(StandardCharsets.UTF_8), 0.5)),
                    client.search(List.of("red", "fox"), true));
            assertEquals("tfidf/similar/-", client.similar("red fox", 3, 0.1).get(0).keyAsString());
            assertEquals("fulltext/findvalue/-", client.findValue("v").get(0).keyAsString());
            Map<String, Map<String, String>> stats = client.stats();
            assertEquals(List.of("z", "a"), List.copyOf(stats.keySet()), "server order is kept");
            assertEquals(List.of("b", "a"), List.copyOf(stats.get("z").keySet()));

            Request bulk = server.received().stream().filter(Request::hasBulk).findFirst().orElseThrow();
            assertEquals(2, bulk.getBulk().getEntriesCount());
            Request similar = server.received().stream()
                    .filter(r -> r.hasQuery() && r.getQuery().getIndex().equals("tfidf")).findFirst().orElseThrow();
            assertEquals(Map.of("top", "3", "min", "0.1"), similar.getQuery().getOptionsMap());
            assertEquals(List.of("red fox"), similar.getQuery().getArgumentsList());
        }
    }

    @Test
    void serverErrorBecomesExceptionWithCodeMessageAndLeader() throws Exception {
        ScriptedServer.Script script = handshakeThen(r -> List.of(Response.newBuilder().setId(r.getId())
                .setError(Error.newBuilder().setCode(ErrorCode.NOT_LEADER).setMessage("not the leader; ask n2")
                        .setLeaderId("n2")).build()));
        try (ScriptedServer server = new ScriptedServer(script); ModkvClient client = ModkvClient.connect(fast(server.hostPort()))) {
            ModkvClientException e = assertThrows(ModkvClientException.class, () -> client.put("k", "v"));
            assertEquals("NOT_LEADER", e.code());
            assertEquals("not the leader; ask n2", e.getMessage());
            assertEquals(Optional.of("n2"), e.leaderId());

            CompletionException async = assertThrows(CompletionException.class, () -> client.putAsync(new byte[1], new byte[1]).join());
            assertEquals("NOT_LEADER", ((ModkvClientException) async.getCause()).code());
        }
    }

    @Test
    void repliesOutOfOrderAreMatchedById() throws Exception {
        // The server holds the first get and answers it after the second.
        AtomicReference<Request> held = new AtomicReference<>();
        ScriptedServer.Script script = handshakeThen(r -> {
            if (held.compareAndSet(null, r)) {
                return List.of();
            }
            Request first = held.get();
            return List.of(value(r), value(first));
        });
        try (ScriptedServer server = new ScriptedServer(script); ModkvClient client = ModkvClient.connect(fast(server.hostPort()))) {
            CompletableFuture<Optional<byte[]>> a = client.getAsync("a".getBytes(StandardCharsets.UTF_8));
            // Wait until the server holds "a", so that "b" is surely sent second.
            for (int i = 0; i < 1000 && held.get() == null; i++) {
                Thread.sleep(5);
            }
            CompletableFuture<Optional<byte[]>> b = client.getAsync("b".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals("b".getBytes(StandardCharsets.UTF_8), b.join().orElseThrow());
            assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), a.join().orElseThrow());
        }
    }

    private static Response value(Request r) {
        return Response.newBuilder().setId(r.getId()).setValue(Value.newBuilder().setFound(true)
                .setValue(r.getGet().getKey())).build();
    }

    @Test
    void pendingRequestsFailWithUnavailableWhenTheConnectionDrops() throws Exception {
        try (ScriptedServer server = new ScriptedServer(handshakeThen(r -> null));
             ModkvClient client = ModkvClient.connect(fast(server.hostPort()))) {
            ModkvClientException e = assertThrows(ModkvClientException.class, () -> client.get("k"));
            assertEquals("UNAVAILABLE", e.code());
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            ModkvClientException later = assertThrows(ModkvClientException.class, () -> client.get("k"));
            assertEquals("UNAVAILABLE", later.code(), "a later call reconnects, and this server drops it again");
        }
    }

    @Test
    void requestWithoutReplyFailsWithTimeout() throws Exception {
        try (ScriptedServer server = new ScriptedServer(handshakeThen(r -> List.of()));
             ModkvClient client = ModkvClient.connect(ClientOptions.defaults(server.hostPort())
                     .withRequestTimeout(Duration.ofMillis(200)))) {
            ModkvClientException e = assertThrows(ModkvClientException.class, () -> client.get("k"));
            assertEquals("TIMEOUT", e.code());
            assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
        }
    }

    @Test
    void requestLargerThanTheServersMaxFrameFailsLocallyAndTheConnectionStaysUsable() throws Exception {
        ScriptedServer.Script script = r -> r.hasHello() ? List.of(helloOk(r, 1024))
                : List.of(Response.newBuilder().setId(r.getId()).setOk(Ok.getDefaultInstance()).build());
        try (ScriptedServer server = new ScriptedServer(script); ModkvClient client = ModkvClient.connect(fast(server.hostPort()))) {
            ModkvClientException e = assertThrows(ModkvClientException.class,
                    () -> client.put(new byte[1], new byte[2000]));
            assertEquals("TOO_LARGE", e.code());
            assertTrue(e.getMessage().contains("1024"), e.getMessage());
            client.put(new byte[1], new byte[10]);
            assertFalse(server.received().stream().anyMatch(r -> r.hasPut() && r.getPut().getValue().size() == 2000));
        }
    }

    @Test
    void synchronousCallFromACompletionCallbackIsRefusedInsteadOfDeadlocking() throws Exception {
        // The reply is held back until the callback is attached, so the callback runs on the client's I/O thread.
        CountDownLatch attached = new CountDownLatch(1);
        ScriptedServer.Script script = handshakeThen(r -> {
            try {
                attached.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(Response.newBuilder().setId(r.getId()).setOk(Ok.getDefaultInstance()).build());
        });
        try (ScriptedServer server = new ScriptedServer(script); ModkvClient client = ModkvClient.connect(fast(server.hostPort()))) {
            CompletableFuture<Void> nested = client.putAsync(new byte[1], new byte[1])
                    .thenRun(() -> client.put("k", "v"));
            attached.countDown();
            CompletionException e = assertThrows(CompletionException.class, nested::join);
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
        }
    }

    @Test
    void closeFailsPendingRequestsAndLaterOnes() throws Exception {
        try (ScriptedServer server = new ScriptedServer(handshakeThen(r -> List.of()))) {
            ModkvClient client = ModkvClient.connect(fast(server.hostPort()));
            CompletableFuture<Optional<byte[]>> pending = client.getAsync(new byte[1]);
            client.close();
            CompletionException e = assertThrows(CompletionException.class, pending::join);
            assertEquals("CLOSED", ((ModkvClientException) e.getCause()).code());
            assertEquals("CLOSED", assertThrows(ModkvClientException.class, () -> client.get("k")).code());
            client.close();
        }
    }

    private static Response pong(Request r) {
        return Response.newBuilder().setId(r.getId()).setPong(Pong.getDefaultInstance()).build();
    }

    @Test
    void requestsTakeTurnsOverEveryConnectionOfTheClient() throws Exception {
        Map<String, AtomicInteger> pingsByConnection = new ConcurrentHashMap<>();
        ScriptedServer.Script script = handshakeThen(r -> {
            pingsByConnection.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger()).incrementAndGet();
            return List.of(pong(r));
        });
        try (ScriptedServer server = new ScriptedServer(script);
             ModkvClient client = ModkvClient.connect(fast(server.hostPort()).withConnections(3, 2))) {
            assertEquals(3, server.received().stream().filter(Request::hasHello).count(), "one handshake per connection");
            assertEquals(3, client.openConnections());
            for (int i = 0; i < 12; i++) {
                client.ping();
            }
            assertEquals(Map.of("scripted-connection-1", 4, "scripted-connection-2", 4, "scripted-connection-3", 4),
                    Map.copyOf(pingsByConnection).entrySet().stream()
                            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())));
            assertEquals(3, client.openConnections());
        }
    }

    @Test
    void aRequestMadeInACompletionCallbackTakesAConnectionOfThatCallbacksThread() throws Exception {
        List<String> servedBy = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<CountDownLatch> chainBuilt = new AtomicReference<>();
        ScriptedServer.Script script = handshakeThen(r -> {
            if (servedBy.isEmpty()) {
                // The first ping of a round is answered only once the whole chain is attached, so
                // that every later ping is made in a callback on the client's I/O thread.
                try {
                    chainBuilt.get().await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            servedBy.add(Thread.currentThread().getName());
            return List.of(pong(r));
        });
        try (ScriptedServer server = new ScriptedServer(script);
             ModkvClient client = ModkvClient.connect(fast(server.hostPort()).withConnections(4, 2))) {
            for (int round = 0; round < 5; round++) {
                servedBy.clear();
                chainBuilt.set(new CountDownLatch(1));
                CompletableFuture<Void> chain = client.pingAsync();
                for (int i = 0; i < 6; i++) {
                    chain = chain.thenCompose(ignored -> client.pingAsync());
                }
                chainBuilt.get().countDown();
                chain.get(10, TimeUnit.SECONDS);
                // Each callback runs on the I/O thread of the connection that answered; 2 threads
                // share 4 connections, so a chain stays on the 2 connections of its first one's thread.
                assertEquals(7, servedBy.size());
                assertTrue(java.util.Set.copyOf(servedBy.subList(1, 7)).size() <= 2, servedBy.toString());
            }
        }
    }

    @Test
    void aLostConnectionFailsItsRequestsAndLaterOnesTakeTheOthersAndWhenNoneIsLeftTheNextReconnects() throws Exception {
        AtomicBoolean dropNext = new AtomicBoolean(true);
        ScriptedServer.Script script = handshakeThen(r -> dropNext.getAndSet(false) ? null : List.of(pong(r)));
        try (ScriptedServer server = new ScriptedServer(script);
             ModkvClient client = ModkvClient.connect(fast(server.hostPort()).withConnections(3, 1))) {
            ModkvClientException lost = assertThrows(ModkvClientException.class, client::ping);
            assertEquals("UNAVAILABLE", lost.code());
            assertEquals(2, client.openConnections());
            for (int i = 0; i < 10; i++) {
                client.ping(); // every one takes an open connection
            }
            assertEquals(2, client.openConnections(), "one lost connection is not reopened while others are open");
            server.dropConnections();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, client.openConnections());
            client.ping(); // reconnects: the server still listens
            assertEquals(3, client.openConnections());
        }
    }

    @Test
    void whenItsNodeIsGoneTheClientFailsOverToAnotherAddressTryingTheLostOneLast() throws Exception {
        ScriptedServer.Script script = handshakeThen(r -> List.of(pong(r)));
        try (ScriptedServer first = new ScriptedServer(script); ScriptedServer second = new ScriptedServer(script);
             ModkvClient client = ModkvClient.connect(fast(first.hostPort() + "," + second.hostPort()))) {
            client.ping();
            assertEquals(first.hostPort(), client.serverAddress());
            first.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            client.ping();
            assertEquals(second.hostPort(), client.serverAddress());
            assertEquals(1, client.openConnections());
        }
    }

    @Test
    void withEveryAddressDownRequestsFailAsUnavailable() throws Exception {
        ScriptedServer.Script script = handshakeThen(r -> List.of(pong(r)));
        ScriptedServer server = new ScriptedServer(script);
        try (ModkvClient client = ModkvClient.connect(fast(server.hostPort() + ",127.0.0.1:" + deadPort()))) {
            server.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ModkvClientException first = assertThrows(ModkvClientException.class, client::ping);
            assertEquals("UNAVAILABLE", first.code());
            ModkvClientException second = assertThrows(ModkvClientException.class, client::ping);
            assertEquals("UNAVAILABLE", second.code());
            assertEquals(0, client.openConnections());
        }
    }

    @Test
    void optionsRejectBadValuesWithAMessageSayingWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientOptions.defaults("localhost"));
        assertTrue(e.getMessage().contains("host:port"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.defaults(""));
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.defaults("h:1").withMaxFrameBytes(10));
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.defaults("h:1").withRequestTimeout(Duration.ZERO));
        assertEquals(List.of("a:1", "[::1]:2"), ClientOptions.defaults("a:1, [::1]:2").addresses());
        ClientOptions options = ClientOptions.defaults("h:1");
        assertEquals("connections must be 1..1024, was 0",
                assertThrows(IllegalArgumentException.class, () -> options.withConnections(0, 1)).getMessage());
        assertEquals("connections must be 1..1024, was 1025",
                assertThrows(IllegalArgumentException.class, () -> options.withConnections(1025, 1)).getMessage());
        assertEquals("ioThreads must be 1..64, was 0",
                assertThrows(IllegalArgumentException.class, () -> options.withConnections(4, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> options.withConnections(2, 3)).getMessage()
                .startsWith("ioThreads (3) must not exceed connections (2)"));
        assertEquals(4, options.withConnections(4, 2).connections());
    }
}
