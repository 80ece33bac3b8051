package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.NotLeaderException;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.api.transport.PeerUnreachableException;
import org.modkv.api.transport.Transport;
import org.modkv.netty.NettyIo;

/** The tcp transport's {@link PeerNetwork}: transports in this JVM talking over 127.0.0.1. */
class TcpPeerNetworkTest {
    private static final long WAIT_SECONDS = 10;

    private PeerNodes nodes;

    @AfterEach
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The {@link ModkvException} {@code future} fails with (it must fail). */
    private static ModkvException failureOf(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(ModkvException.class, e.getCause());
    }

    /** A message as a handler saw it. */
    private record Delivered(String from, String message) {
    }

    /** Waits, bounded, until {@code condition} holds. */
    private static void eventually(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + WAIT_SECONDS + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static long stat(Transport transport, String name) {
        Object value = transport.stats().get(name);
        assertInstanceOf(Number.class, value, name + " in " + transport.stats());
        return ((Number) value).longValue();
    }

    @Test
    void sendIsDeliveredToItsChannelsHandlerWithTheSendersId() throws Exception {
        nodes = new PeerNodes("n1", "n2", "n3");
        nodes.start("n1");
        nodes.start("n2");
        nodes.start("n3");
        BlockingQueue<Delivered> votes = new LinkedBlockingQueue<>();
        BlockingQueue<Delivered> appends = new LinkedBlockingQueue<>();
        nodes.network("n2").register("raft.vote", (from, message) -> {
            votes.add(new Delivered(from, text(message)));
            return null;
        });
        nodes.network("n2").register("raft.append", (from, message) -> {
            appends.add(new Delivered(from, text(message)));
            return null;
        });

        nodes.network("n1").send("n2", "raft.vote", utf8("vote for n1"));
        nodes.network("n3").send("n2", "raft.vote", utf8("vote for n3"));

        Set<Delivered> got = Set.of(votes.poll(WAIT_SECONDS, TimeUnit.SECONDS), votes.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(Set.of(new Delivered("n1", "vote for n1"), new Delivered("n3", "vote for n3")), got);
        assertTrue(appends.isEmpty(), appends.toString());
    }

    @ParameterizedTest
    @EnumSource(NettyIo.class)
    void eachIoBackendCarriesPeerTraffic(NettyIo backend) throws Exception {
        assumeTrue(backend.unavailability() == null, backend + " cannot run here");
        nodes = new PeerNodes("n1", "n2", "n3"); // n3 stays down
        Map<String, String> settings = Map.of("tcp.io.transport", backend.configName());
        nodes.start("n1", settings);
        nodes.start("n2", settings);
        nodes.network("n2").register("echo", (from, message) -> CompletableFuture.completedFuture(message));
        PeerNetwork n1 = nodes.network("n1");

        byte[] large = new byte[3 << 20];
        large[large.length - 1] = 7;
        assertArrayEquals(large, await(n1.request("n2", "echo", large, 10_000)));
        assertEquals("small", text(await(n1.request("n2", "echo", utf8("small"), 10_000))));
        ModkvException down = failureOf(n1.request("n3", "echo", utf8("x"), 10_000));
        assertEquals(ErrorCode.UNAVAILABLE, down.code());
        assertTrue(down.getMessage().contains("cannot connect"), down.getMessage());
    }

    @Test
    void everyNodeGetsTheSameListAndSeesTheOthersOnly() throws Exception {
        nodes = new PeerNodes("n1", "n2", "n3");
        PeerNetwork n1 = nodes.start("n1").peerNetwork().orElseThrow();
        assertEquals("n1", n1.localId());
        assertEquals(Set.of("n2", "n3"), n1.peerIds());
        Transport n3 = nodes.start("n3");
        assertEquals(Set.of("n1", "n2"), n3.peerNetwork().orElseThrow().peerIds());
        assertEquals(2L, stat(n3, "peers"));
    }

    @Test
    void requestAndReplyRoundTripBothWays() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        nodes.start("n1");
        nodes.start("n2");
        for (String id : List.of("n1", "n2")) {
            nodes.network(id).register("echo", (from, message) ->
                    CompletableFuture.completedFuture(utf8(id + " got '" + text(message) + "' from " + from)));
        }

        assertEquals("n2 got 'ping' from n1", text(await(nodes.network("n1").request("n2", "echo", utf8("ping"), 5_000))));
        assertEquals("n1 got 'pong' from n2", text(await(nodes.network("n2").request("n1", "echo", utf8("pong"), 5_000))));
        assertEquals("n2 got '' from n1", text(await(nodes.network("n1").request("n2", "echo", new byte[0], 5_000))));
        assertTrue(stat(nodes.transport("n1"), "peer.frames.sent") >= 3, nodes.transport("n1").stats().toString());
        assertTrue(stat(nodes.transport("n1"), "peer.frames.received") >= 3, nodes.transport("n1").stats().toString());
    }

    @Test
    void aHandlersFailureReachesTheRequesterWithItsCodeAndMessage() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        nodes.start("n1");
        nodes.start("n2");
        nodes.network("n2").register("busy", (from, message) ->
                CompletableFuture.failedFuture(new ModkvException(ErrorCode.OVERLOADED, "n2 is busy; try later")));
        nodes.network("n2").register("forward", (from, message) -> {
            throw new NotLeaderException("n3", "n2 is not the leader; n3 is");
        });
        nodes.network("n2").register("bug", (from, message) -> {
            throw new IllegalStateException("oops");
        });
        PeerNetwork n1 = nodes.network("n1");

        ModkvException busy = failureOf(n1.request("n2", "busy", utf8("x"), 5_000));
        assertEquals(ErrorCode.OVERLOADED, busy.code());
        assertEquals("n2 is busy; try later", busy.getMessage());

        ModkvException notLeader = failureOf(n1.request("n2", "forward", utf8("x"), 5_000));
        assertEquals(ErrorCode.NOT_LEADER, notLeader.code());
        assertEquals("n2 is not the leader; n3 is", notLeader.getMessage());
        assertEquals("n3", assertInstanceOf(NotLeaderException.class, notLeader).leaderId().orElseThrow());

        ModkvException bug = failureOf(n1.request("n2", "bug", utf8("x"), 5_000));
        assertEquals(ErrorCode.INTERNAL, bug.code());
        assertTrue(bug.getMessage().contains("channel bug on node n2")
                && bug.getMessage().contains("IllegalStateException: oops"), bug.getMessage());
    }

    @Test
    void aRequestOnAChannelWithoutHandlerIsAnsweredWithAnError() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        nodes.start("n1");
        nodes.start("n2");
        ModkvException e = failureOf(nodes.network("n1").request("n2", "nope", utf8("x"), 5_000));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals("no handler for channel nope on node n2", e.getMessage());
    }

    @Test
    void aSecondHandlerForTheSameChannelIsRefused() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        PeerNetwork n1 = nodes.start("n1").peerNetwork().orElseThrow();
        n1.register("raft.vote", (from, message) -> null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> n1.register("raft.vote", (from, message) -> null));
        assertTrue(e.getMessage().contains("raft.vote"), e.getMessage());
    }

    @Test
    void aRequestLostWithItsConnectionAfterItWasSentIsNotCalledUnreachable() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        nodes.start("n1");
        nodes.start("n2");
        java.util.concurrent.CountDownLatch delivered = new java.util.concurrent.CountDownLatch(1);
        nodes.network("n2").register("raft.append", (from, message) -> {
            delivered.countDown();
            return new CompletableFuture<>();
        });
        CompletableFuture<byte[]> request = nodes.network("n1").request("n2", "raft.append", utf8("x"), 30_000);
        assertTrue(delivered.await(10, java.util.concurrent.TimeUnit.SECONDS));
        nodes.stop("n2");
        ModkvException e = failureOf(request);
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        // n2 may have acted on it: a caller must not take it as never sent.
        assertTrue(!(e instanceof PeerUnreachableException), e.getClass().getName() + ": " + e.getMessage());
    }

    @Test
    void aRequestTheHandlerNeverAnswersTimesOut() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        nodes.start("n1");
        nodes.start("n2");
        nodes.network("n2").register("raft.append", (from, message) -> new CompletableFuture<>());

        ModkvException e = failureOf(nodes.network("n1").request("n2", "raft.append", utf8("x"), 200));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals("peer n2 did not answer on channel raft.append within 200 ms", e.getMessage());
        assertEquals(1L, stat(nodes.transport("n1"), "peer.requests.timed_out"));
    }

    @Test
    void aPeerThatIsDownFailsRequestsAsUnavailableAndSendsAreDropped() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        Transport n1 = nodes.start("n1"); // n2 never starts
        PeerNetwork network = n1.peerNetwork().orElseThrow();

        network.send("n2", "raft.vote", utf8("x")); // must not throw
        ModkvException first = failureOf(network.request("n2", "raft.vote", utf8("x"), 5_000));
        assertEquals(ErrorCode.UNAVAILABLE, first.code());
        assertTrue(first.getMessage().startsWith("peer n2 (127.0.0.1:" + nodes.port("n2") + ") "), first.getMessage());
        // Again at once: within the backoff it fails without a new connect attempt (or after one).
        ModkvException second = failureOf(network.request("n2", "raft.vote", utf8("x"), 5_000));
        assertEquals(ErrorCode.UNAVAILABLE, second.code());
        assertTrue(second.getMessage().startsWith("peer n2 (127.0.0.1:" + nodes.port("n2") + ") "), second.getMessage());
        // Neither request left this node, and the exception says so: safe to send again.
        assertTrue(first instanceof PeerUnreachableException, first.getClass().getName());
        assertTrue(second instanceof PeerUnreachableException, second.getClass().getName());
        network.send("n2", "raft.vote", utf8("x"));
        eventually("sends to a peer that is down are counted as dropped",
                () -> stat(n1, "peer.sends.dropped") >= 1);
        assertTrue(stat(n1, "peer.connects.failed") >= 1, n1.stats().toString());
    }

    @Test
    void aRequestToAnUnknownPeerFailsNamingTheKnownOnes() throws Exception {
        nodes = new PeerNodes("n1", "n2", "n3");
        PeerNetwork n1 = nodes.start("n1").peerNetwork().orElseThrow();
        ModkvException e = failureOf(n1.request("n9", "raft.vote", utf8("x"), 1_000));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertEquals("no peer 'n9' in tcp.peers of node n1; known peers: n2, n3", e.getMessage());
        n1.send("n9", "raft.vote", utf8("x")); // dropped, no exception
    }

    @Test
    void aPeerThatDoesNotKnowThisNodeRefusesItsConnectionSayingWhy() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        nodes.start("n1");
        nodes.start("n2", Map.of("tcp.peers", "n2=127.0.0.1:" + nodes.port("n2") + ",n3=127.0.0.1:1"));
        nodes.network("n2").register("echo", (from, message) -> CompletableFuture.completedFuture(message));

        ModkvException e = failureOf(nodes.network("n1").request("n2", "echo", utf8("x"), 5_000));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("refused by node n2: node 'n1' is not in the tcp.peers of node n2 "
                + "(known: n3)"), e.getMessage());
    }

    @Test
    void aRestartedPeerOnTheSamePortIsReachedAgain() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        nodes.start("n1");
        nodes.start("n2");
        nodes.network("n2").register("echo", (from, message) -> CompletableFuture.completedFuture(message));
        PeerNetwork n1 = nodes.network("n1");
        assertEquals("before", text(await(n1.request("n2", "echo", utf8("before"), 5_000))));

        nodes.stop("n2");
        // The first request may still find the old connection: it fails when it closes.
        assertEquals(ErrorCode.UNAVAILABLE, failureOf(n1.request("n2", "echo", utf8("down"), 5_000)).code());
        eventually("the connection to the stopped node is gone",
                () -> stat(nodes.transport("n1"), "peer.connections.outbound") == 0);

        nodes.start("n2");
        nodes.network("n2").register("echo", (from, message) -> CompletableFuture.completedFuture(message));
        List<String> failures = new ArrayList<>();
        eventually("a request reaches the restarted node", () -> {
            try {
                return text(await(n1.request("n2", "echo", utf8("after"), 5_000))).equals("after");
            } catch (Exception e) {
                failures.add(String.valueOf(e.getCause()));
                return false;
            }
        });
        assertTrue(failures.stream().allMatch(f -> f.contains("UNAVAILABLE") || f.contains("peer n2")), failures.toString());
    }

    @Test
    void aFrameOverThePeersLimitClosesTheConnection() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        Transport n1 = nodes.start("n1");
        Transport n2 = nodes.start("n2", Map.of("tcp.peer.max.frame.bytes", "4KiB"));
        nodes.network("n2").register("echo", (from, message) -> CompletableFuture.completedFuture(message));
        PeerNetwork network = n1.peerNetwork().orElseThrow();
        assertEquals("small", text(await(network.request("n2", "echo", utf8("small"), 5_000))));

        ModkvException e = failureOf(network.request("n2", "echo", new byte[8 * 1024], 5_000));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().startsWith("peer n2 (127.0.0.1:" + nodes.port("n2") + ")"), e.getMessage());
        assertEquals(1L, stat(n2, "peer.frames.rejected"));
        eventually("n1 sees its connection closed", () -> stat(n1, "peer.connections.outbound") == 0);
        // The next request opens a new connection.
        eventually("a small request gets through again", () -> {
            try {
                return text(await(network.request("n2", "echo", utf8("again"), 5_000))).equals("again");
            } catch (Exception ex) {
                return false;
            }
        });
    }

    @Test
    void aMessageOverTheOwnLimitIsRefusedBeforeSending() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        Transport n1 = nodes.start("n1", Map.of("tcp.peer.max.frame.bytes", "4KiB"));
        PeerNetwork network = n1.peerNetwork().orElseThrow();
        ModkvException e = failureOf(network.request("n2", "raft.snapshot", new byte[8 * 1024], 5_000));
        assertEquals(ErrorCode.TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("exceeds tcp.peer.max.frame.bytes=4096"), e.getMessage());
        network.send("n2", "raft.snapshot", new byte[8 * 1024]);
        assertEquals(1L, stat(n1, "peer.sends.dropped"));
    }

    @Test
    void concurrentRequestsFromSeveralThreadsEachGetTheirOwnReply() throws Exception {
        nodes = new PeerNodes("n1", "n2", "n3");
        nodes.start("n1");
        nodes.start("n2");
        nodes.start("n3");
        for (String id : List.of("n2", "n3")) {
            nodes.network(id).register("echo", (from, message) ->
                    CompletableFuture.supplyAsync(() -> utf8(id + ":" + text(message))));
        }
        PeerNetwork n1 = nodes.network("n1");
        int threads = 6;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<byte[]>> replies = new ArrayList<>();
                    List<String> expected = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String peer = i % 2 == 0 ? "n2" : "n3";
                        String message = "t" + thread + "-" + i;
                        replies.add(n1.request(peer, "echo", utf8(message), 10_000));
                        expected.add(peer + ":" + message);
                    }
                    for (int i = 0; i < perThread; i++) {
                        assertEquals(expected.get(i), text(await(replies.get(i))));
                    }
                    return perThread;
                }));
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(60, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingFailsWaitingRequestsAsShuttingDown() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        nodes.start("n1");
        nodes.start("n2");
        nodes.network("n2").register("raft.append", (from, message) -> new CompletableFuture<>());
        PeerNetwork n1 = nodes.network("n1");
        CompletableFuture<byte[]> waiting = n1.request("n2", "raft.append", utf8("x"), 60_000);
        eventually("the request reached n2", () -> stat(nodes.transport("n2"), "peer.frames.received") >= 2);

        nodes.stop("n1");
        ModkvException e = failureOf(waiting);
        assertEquals(ErrorCode.SHUTTING_DOWN, e.code());
        assertTrue(e.getMessage().contains("node n1 is shutting down"), e.getMessage());
        assertEquals(ErrorCode.SHUTTING_DOWN, failureOf(n1.request("n2", "raft.append", utf8("x"), 1_000)).code());
        n1.send("n2", "raft.append", utf8("x")); // dropped, no exception
    }

    @Test
    void aTakenPeerPortFailsStartNamingTheKey() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            IOException e = assertThrows(IOException.class,
                    () -> nodes.start("n1", Map.of("tcp.peer.listen", listen)));
            assertTrue(e.getMessage().startsWith("cannot listen on tcp.peer.listen=" + listen + ": "), e.getMessage());
        }
    }

    @Test
    void endpointsNameThePeerListenerOnlyWhenPeersAreConfigured() throws Exception {
        nodes = new PeerNodes("n1", "n2");
        Transport clustered = nodes.start("n1");
        assertEquals(List.of("tcp", "peer"), clustered.endpoints().stream().map(e -> e.name()).toList());
        assertEquals(nodes.port("n1"), clustered.endpoints().get(1).address().getPort());
        assertTrue(clustered.peerNetwork().isPresent());
        assertTrue(clustered.stats().containsKey("peer.frames.sent"), clustered.stats().toString());

        try (Transport alone = new TcpTransportProvider().start(
                TcpTestContexts.context("n1", Map.of(), TcpTestContexts.handler()))) {
            assertEquals(List.of("tcp"), alone.endpoints().stream().map(e -> e.name()).toList());
            assertTrue(alone.peerNetwork().isEmpty());
            assertFalse(alone.stats().containsKey("peers"), alone.stats().toString());
        }

        try (Transport freePort = new TcpTransportProvider().start(TcpTestContexts.context("n1",
                Map.of("tcp.peers", "n2=127.0.0.1:" + nodes.port("n2"), "tcp.peer.listen", "127.0.0.1:0"),
                TcpTestContexts.handler()))) {
            int port = freePort.endpoints().get(1).address().getPort();
            assertTrue(port > 0, "port 0 is replaced by the real one");
        }
    }
}
