package org.modkv.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.transport.PeerNetwork;

class SimulatedNetworkTest {
    private static final Set<String> CLUSTER = Set.of("n1", "n2", "n3");

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Joins every node of CLUSTER and records "(time node from message)" for channel "m". */
    private static Map<String, PeerNetwork> joinAll(Simulation sim, List<String> received) {
        Map<String, PeerNetwork> nets = new TreeMap<>();
        for (String id : new java.util.TreeSet<>(CLUSTER)) {
            PeerNetwork net = sim.network().join(id, CLUSTER);
            net.register("m", (from, message) -> {
                received.add(sim.nowNanos() + " " + id + " " + from + " " + text(message));
                return null;
            });
            nets.put(id, net);
        }
        return nets;
    }

    private static ModkvException failure(CompletableFuture<byte[]> future) {
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        return assertInstanceOf(ModkvException.class, e.getCause());
    }

    @Test
    void joinGivesSortedPeersWithoutSelf() {
        Simulation sim = new Simulation(1);
        PeerNetwork net = sim.network().join("n2", Set.of("n3", "n1", "n2"));

        assertEquals("n2", net.localId());
        assertEquals(List.of("n1", "n3"), new ArrayList<>(net.peerIds()));
        assertThrows(UnsupportedOperationException.class, () -> net.peerIds().add("n4"));
    }

    @Test
    void sendIsDeliveredAsAnEventAfterADelayWithCopiedBytes() {
        Simulation sim = new Simulation(2);
        sim.network().delay(Duration.ofMillis(3), Duration.ofMillis(7));
        List<String> received = new ArrayList<>();
        Map<String, PeerNetwork> nets = joinAll(sim, received);
        byte[] message = bytes("hello");

        nets.get("n1").send("n2", "m", message);
        message[0] = 'J';
        assertTrue(received.isEmpty(), "nothing is delivered inside send");
        sim.runFor(Duration.ofMillis(50));

        assertEquals(1, received.size());
        String[] parts = received.get(0).split(" ");
        long at = Long.parseLong(parts[0]);
        assertTrue(at >= 3_000_000L && at <= 7_000_000L, "delivered at " + at);
        assertEquals(List.of("n2", "n1", "hello"), List.of(parts[1], parts[2], parts[3]));
        assertEquals(1, sim.network().delivered());
        assertEquals(0, sim.network().dropped());
    }

    @Test
    void differentDelaysReorderMessages() {
        Simulation sim = new Simulation(3);
        sim.network().delay(Duration.ofMillis(1), Duration.ofMillis(100));
        List<String> received = new ArrayList<>();
        Map<String, PeerNetwork> nets = joinAll(sim, received);
        for (int i = 0; i < 50; i++) {
            nets.get("n1").send("n2", "m", bytes(Integer.toString(i)));
        }
        sim.runFor(Duration.ofSeconds(1));

        List<Integer> order = new ArrayList<>();
        for (String line : received) {
            order.add(Integer.parseInt(line.split(" ")[3]));
        }
        assertEquals(50, order.size());
        List<Integer> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertNotEquals(sorted, order, "a 1-100 ms delay spread reorders 50 messages");
    }

    @Test
    void sameSeedReplaysTheSameTraceAndAnotherSeedDoesNot() {
        List<String> first = randomizedRun(42);
        List<String> second = randomizedRun(42);
        List<String> other = randomizedRun(43);

        assertTrue(first.size() > 500, "the run did something: " + first.size() + " lines");
        assertTrue(first.stream().anyMatch(l -> l.contains("drop (lost)")), "some messages were lost");
        assertTrue(first.stream().anyMatch(l -> l.contains("drop (partitioned)")), "some were partitioned");
        assertTrue(first.stream().anyMatch(l -> l.contains("drop (crashed)")), "some were cut by the crash");
        assertTrue(first.stream().anyMatch(l -> l.startsWith("answer")), "some requests were answered");
        assertTrue(first.stream().anyMatch(l -> l.startsWith("failed") && l.contains("did not answer")),
                "some requests timed out");
        assertEquals(first, second);
        assertNotEquals(first, other);
    }

    /** A gossiping cluster with loss, duplication, reordering, a partition and a crash/restart. */
    private static List<String> randomizedRun(long seed) {
        Simulation sim = new Simulation(seed);
        List<String> trace = new ArrayList<>();
        sim.trace(trace::add);
        SimulatedNetwork network = sim.network();
        network.delay(Duration.ofMillis(1), Duration.ofMillis(30));
        network.lossRate(0.1);
        network.duplicateRate(0.1);
        List<String> ids = List.of("a", "b", "c", "d");
        Set<String> cluster = Set.copyOf(ids);
        for (String id : ids) {
            startGossiper(sim, id, cluster, trace);
        }
        SimulatedScheduler control = sim.scheduler("test");
        control.schedule(200, TimeUnit.MILLISECONDS, () -> network.partition(Set.of("a", "b"), Set.of("c", "d")));
        control.schedule(300, TimeUnit.MILLISECONDS, () -> sim.crash("c"));
        control.schedule(400, TimeUnit.MILLISECONDS, network::heal);
        control.schedule(500, TimeUnit.MILLISECONDS, () -> startGossiper(sim, "c", cluster, trace));
        sim.runFor(Duration.ofSeconds(1));
        trace.add("delivered=" + network.delivered() + " dropped=" + network.dropped() + " t=" + sim.nowNanos());
        return trace;
    }

    private static void startGossiper(Simulation sim, String id, Set<String> cluster, List<String> trace) {
        PeerNetwork net = sim.network().join(id, cluster);
        SimulatedScheduler scheduler = sim.scheduler(id);
        List<String> peers = new ArrayList<>(net.peerIds());
        net.register("gossip", (from, message) -> {
            trace.add("got " + sim.nowNanos() + " " + id + " <- " + from + " " + text(message));
            return null;
        });
        net.register("ask", (from, message) -> {
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            long think = sim.random().nextInt(40);
            scheduler.schedule(think, TimeUnit.MILLISECONDS, () -> reply.complete(bytes(id + " thought " + think)));
            return reply;
        });
        Runnable[] tick = new Runnable[1];
        AtomicInteger counter = new AtomicInteger();
        tick[0] = () -> {
            String peer = peers.get(sim.random().nextInt(peers.size()));
            int n = counter.incrementAndGet();
            if (sim.random().nextBoolean()) {
                net.send(peer, "gossip", bytes(id + "#" + n));
            } else {
                net.request(peer, "ask", bytes(id + "?" + n), 25).whenComplete((reply, failure) -> trace.add(
                        (failure == null ? "answer " + text(reply) : "failed " + failure.getMessage())
                                + " to " + id + "?" + n + " at " + sim.nowNanos()));
            }
            scheduler.schedule(1 + sim.random().nextInt(10), TimeUnit.MILLISECONDS, tick[0]);
        };
        scheduler.execute(tick[0]);
    }

    @Test
    void partitionBlocksAndHealRestores() {
        Simulation sim = new Simulation(4);
        List<String> received = new ArrayList<>();
        Map<String, PeerNetwork> nets = joinAll(sim, received);
        SimulatedNetwork network = sim.network();

        network.partition(Set.of("n1"), Set.of("n2", "n3"));
        nets.get("n1").send("n2", "m", bytes("across"));
        nets.get("n2").send("n1", "m", bytes("back-across"));
        nets.get("n2").send("n3", "m", bytes("inside"));
        sim.runFor(Duration.ofMillis(100));

        assertEquals(1, received.size());
        assertTrue(received.get(0).endsWith("n3 n2 inside"), received.get(0));
        assertEquals(2, network.dropped());
        assertFalse(network.canReach("n1", "n2"));

        network.heal();
        nets.get("n1").send("n2", "m", bytes("healed"));
        sim.runFor(Duration.ofMillis(100));

        assertEquals(2, received.size());
        assertTrue(received.get(1).endsWith("n2 n1 healed"), received.get(1));
    }

    @Test
    void messagesInFlightWhenAPartitionStartsAreDropped() {
        Simulation sim = new Simulation(5);
        sim.network().delay(Duration.ofMillis(10), Duration.ofMillis(10));
        List<String> received = new ArrayList<>();
        Map<String, PeerNetwork> nets = joinAll(sim, received);

        nets.get("n1").send("n2", "m", bytes("in flight"));
        sim.runFor(Duration.ofMillis(5));
        sim.network().partition(Set.of("n1", "n3"), Set.of("n2"));
        sim.runFor(Duration.ofMillis(20));

        assertTrue(received.isEmpty());
        assertEquals(1, sim.network().dropped());
    }

    @Test
    void nodesOutsideEveryGroupAreIsolatedAndBlockIsOneWay() {
        Simulation sim = new Simulation(6);
        List<String> received = new ArrayList<>();
        Map<String, PeerNetwork> nets = joinAll(sim, received);
        SimulatedNetwork network = sim.network();

        network.partition(Set.of("n1", "n2"));
        nets.get("n3").send("n1", "m", bytes("from-unlisted"));
        nets.get("n1").send("n2", "m", bytes("within"));
        sim.runFor(Duration.ofMillis(50));
        assertEquals(1, received.size());
        assertTrue(received.get(0).endsWith("n2 n1 within"));

        network.heal();
        network.block("n1", "n2");
        nets.get("n1").send("n2", "m", bytes("blocked"));
        nets.get("n2").send("n1", "m", bytes("allowed"));
        sim.runFor(Duration.ofMillis(50));
        assertEquals(2, received.size());
        assertTrue(received.get(1).endsWith("n1 n2 allowed"));

        network.heal();
        network.isolate("n2");
        nets.get("n1").send("n2", "m", bytes("to-isolated"));
        nets.get("n3").send("n1", "m", bytes("others-fine"));
        sim.runFor(Duration.ofMillis(50));
        assertEquals(3, received.size());
        assertTrue(received.get(2).endsWith("n1 n3 others-fine"));
    }

    @Test
    void requestTimesOutWithUnavailableAtTheTimeout() {
        Simulation sim = new Simulation(7);
        Map<String, PeerNetwork> nets = joinAll(sim, new ArrayList<>());
        nets.get("n2").register("never", (from, message) -> new CompletableFuture<>());
        long[] failedAt = new long[1];

        CompletableFuture<byte[]> reply = nets.get("n1").request("n2", "never", bytes("?"), 250);
        reply.whenComplete((r, f) -> failedAt[0] = sim.nowNanos());
        sim.runFor(Duration.ofMillis(249));
        assertFalse(reply.isDone());
        sim.runFor(Duration.ofMillis(1));

        ModkvException failure = failure(reply);
        assertEquals(ErrorCode.UNAVAILABLE, failure.code());
        assertEquals("peer n2 did not answer on channel never within 250 ms", failure.getMessage());
        assertEquals(250_000_000L, failedAt[0]);
    }

    @Test
    void requestToAPartitionedPeerTimesOut() {
        Simulation sim = new Simulation(8);
        Map<String, PeerNetwork> nets = joinAll(sim, new ArrayList<>());
        nets.get("n2").register("echo", (from, message) -> CompletableFuture.completedFuture(message));
        sim.network().isolate("n2");

        CompletableFuture<byte[]> reply = nets.get("n1").request("n2", "echo", bytes("x"), 100);
        sim.runFor(Duration.ofSeconds(1));

        assertEquals(ErrorCode.UNAVAILABLE, failure(reply).code());
    }

    @Test
    void replyOfAHandlerThatCompletesLaterTravelsBack() throws Exception {
        Simulation sim = new Simulation(9);
        sim.network().delay(Duration.ofMillis(2), Duration.ofMillis(4));
        Map<String, PeerNetwork> nets = joinAll(sim, new ArrayList<>());
        SimulatedScheduler n2 = sim.scheduler("n2");
        long[] handledAt = new long[1];
        nets.get("n2").register("slow", (from, message) -> {
            handledAt[0] = sim.nowNanos();
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            n2.schedule(50, TimeUnit.MILLISECONDS, () -> reply.complete(bytes(from + " asked " + text(message))));
            return reply;
        });
        long[] answeredAt = new long[1];

        CompletableFuture<byte[]> reply = nets.get("n1").request("n2", "slow", bytes("why"), 1000);
        reply.whenComplete((r, f) -> answeredAt[0] = sim.nowNanos());
        assertTrue(sim.runUntil(reply::isDone, Duration.ofSeconds(2)));

        assertEquals("n1 asked why", text(reply.get()));
        assertTrue(handledAt[0] >= 2_000_000L && handledAt[0] <= 4_000_000L);
        long roundTrip = answeredAt[0] - handledAt[0];
        assertTrue(roundTrip >= 52_000_000L && roundTrip <= 54_000_000L, "reply took " + roundTrip);
        assertEquals(2, sim.network().delivered());
    }

    @Test
    void requestCompletesOnlyFromAnEventNeverInsideRequest() {
        Simulation sim = new Simulation(10);
        Map<String, PeerNetwork> nets = joinAll(sim, new ArrayList<>());
        nets.get("n2").register("echo", (from, message) -> CompletableFuture.completedFuture(message));

        CompletableFuture<byte[]> reply = nets.get("n1").request("n2", "echo", bytes("x"), 100);

        assertFalse(reply.isDone());
        sim.runFor(Duration.ofMillis(50));
        assertArrayEquals(bytes("x"), reply.join());
    }

    @Test
    void aFailedHandlerFutureFailsTheRequesterWithTheSameCodeAndMessage() {
        Simulation sim = new Simulation(11);
        Map<String, PeerNetwork> nets = joinAll(sim, new ArrayList<>());
        nets.get("n2").register("leader", (from, message) -> CompletableFuture.failedFuture(
                new ModkvException(ErrorCode.NOT_LEADER, "not the leader; the leader is n3")));
        nets.get("n2").register("buggy", (from, message) -> CompletableFuture.failedFuture(
                new IllegalStateException("oops")));

        CompletableFuture<byte[]> notLeader = nets.get("n1").request("n2", "leader", bytes("w"), 100);
        CompletableFuture<byte[]> buggy = nets.get("n1").request("n2", "buggy", bytes("w"), 100);
        sim.runFor(Duration.ofMillis(50));

        ModkvException failure = failure(notLeader);
        assertEquals(ErrorCode.NOT_LEADER, failure.code());
        assertEquals("not the leader; the leader is n3", failure.getMessage());
        ModkvException internal = failure(buggy);
        assertEquals(ErrorCode.INTERNAL, internal.code());
        assertTrue(internal.getMessage().contains("oops"), internal.getMessage());
    }

    @Test
    void unknownPeerFailsAtOnceAndUnknownChannelIsDropped() {
        Simulation sim = new Simulation(12);
        Map<String, PeerNetwork> nets = joinAll(sim, new ArrayList<>());

        CompletableFuture<byte[]> toStranger = nets.get("n1").request("n9", "m", bytes("x"), 100);
        CompletableFuture<byte[]> toSelf = nets.get("n1").request("n1", "m", bytes("x"), 100);
        CompletableFuture<byte[]> noHandler = nets.get("n1").request("n2", "nobody-listens", bytes("x"), 100);

        assertEquals(ErrorCode.UNAVAILABLE, failure(toStranger).code());
        assertTrue(failure(toStranger).getMessage().contains("n9"));
        assertEquals(ErrorCode.UNAVAILABLE, failure(toSelf).code());
        assertFalse(noHandler.isDone());
        sim.runFor(Duration.ofMillis(200));
        assertEquals(ErrorCode.UNAVAILABLE, failure(noHandler).code());
        assertEquals(1, sim.network().dropped());
    }

    @Test
    void lossAndDuplicationRates() {
        Simulation sim = new Simulation(13);
        List<String> received = new ArrayList<>();
        Map<String, PeerNetwork> nets = joinAll(sim, received);

        sim.network().lossRate(1.0);
        nets.get("n1").send("n2", "m", bytes("lost"));
        sim.runFor(Duration.ofMillis(50));
        assertTrue(received.isEmpty());
        assertEquals(1, sim.network().dropped());

        sim.network().lossRate(0);
        sim.network().duplicateRate(1.0);
        nets.get("n1").send("n2", "m", bytes("twice"));
        sim.runFor(Duration.ofMillis(50));
        assertEquals(2, received.size());
        assertTrue(received.get(0).endsWith("twice") && received.get(1).endsWith("twice"));

        sim.network().duplicateRate(0);
        sim.network().lossRate(0.5);
        for (int i = 0; i < 1000; i++) {
            nets.get("n1").send("n3", "m", bytes("half"));
        }
        sim.runFor(Duration.ofMillis(50));
        long arrived = received.stream().filter(l -> l.endsWith("half")).count();
        assertTrue(arrived > 400 && arrived < 600, arrived + " of 1000 arrived at loss rate 0.5");
        assertThrows(IllegalArgumentException.class, () -> sim.network().lossRate(1.5));
    }

    @Test
    void crashDropsMessagesToAndFromTheNodeAndItsRequestsNeverComplete() {
        Simulation sim = new Simulation(14);
        sim.network().delay(Duration.ofMillis(10), Duration.ofMillis(10));
        List<String> received = new ArrayList<>();
        Map<String, PeerNetwork> nets = joinAll(sim, received);
        nets.get("n2").register("never", (from, message) -> new CompletableFuture<>());
        nets.get("n1").register("echo", (from, message) -> CompletableFuture.completedFuture(message));

        nets.get("n1").send("n2", "m", bytes("from-n1-in-flight"));
        nets.get("n3").send("n1", "m", bytes("to-n1-in-flight"));
        CompletableFuture<byte[]> pendingRequest = nets.get("n1").request("n2", "never", bytes("?"), 50);
        CompletableFuture<byte[]> toCrashed = nets.get("n3").request("n1", "echo", bytes("?"), 50);
        sim.runFor(Duration.ofMillis(5));
        sim.crash("n1");
        nets.get("n1").send("n2", "m", bytes("from-dead-node"));
        nets.get("n2").send("n1", "m", bytes("to-dead-node"));
        sim.runFor(Duration.ofSeconds(1));

        assertTrue(received.isEmpty(), received.toString());
        assertFalse(pendingRequest.isDone(), "the crashed node's request never completes, not even by timeout");
        assertEquals(ErrorCode.UNAVAILABLE, failure(toCrashed).code());
        assertEquals(0, sim.network().delivered());

        // restarted: handlers are registered afresh
        PeerNetwork restarted = sim.network().join("n1", CLUSTER);
        nets.get("n2").send("n1", "m", bytes("before-register"));
        sim.runFor(Duration.ofMillis(20));
        restarted.register("m", (from, message) -> {
            received.add("restarted got " + text(message));
            return null;
        });
        nets.get("n2").send("n1", "m", bytes("after-register"));
        restarted.send("n3", "m", bytes("hello-again"));
        sim.runFor(Duration.ofMillis(20));

        assertEquals(2, received.size(), received.toString());
        assertEquals("restarted got after-register", received.get(0));
        assertTrue(received.get(1).endsWith(" n3 n1 hello-again"), received.toString());
    }

    @Test
    void aReplyFromANodeThatCrashedBeforeAnsweringIsNeverSent() {
        Simulation sim = new Simulation(15);
        Map<String, PeerNetwork> nets = joinAll(sim, new ArrayList<>());
        List<CompletableFuture<byte[]>> held = new ArrayList<>();
        nets.get("n2").register("hold", (from, message) -> {
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            held.add(reply);
            return reply;
        });

        CompletableFuture<byte[]> reply = nets.get("n1").request("n2", "hold", bytes("?"), 500);
        sim.runFor(Duration.ofMillis(50));
        assertEquals(1, held.size());
        sim.crash("n2");
        held.get(0).complete(bytes("too late"));
        sim.runFor(Duration.ofSeconds(1));

        assertEquals("peer n2 did not answer on channel hold within 500 ms", failure(reply).getMessage());
    }
}
