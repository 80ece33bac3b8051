package org.modkv.testkit.sim;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.time.Cancellable;
import org.modkv.api.transport.PeerHandler;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.api.transport.PeerUnreachableException;

/**
 * The network of a {@link Simulation}: every node {@link #join joins} it and gets a
 * {@link PeerNetwork}; messages travel as simulation events.
 *
 * <p><b>Messages.</b> A {@code send}, a {@code request} and the reply to a request are each one
 * message. When it is sent the network decides, with the simulation's random, whether the
 * message is lost ({@link #lossRate}), duplicated ({@link #duplicateRate}) and how long each
 * copy travels (uniform in {@link #delay [min, max]}; different delays reorder messages). A copy
 * is dropped when it arrives if the two nodes cannot reach each other at that moment
 * ({@link #partition}, {@link #isolate}, {@link #block}), if either node crashed since the
 * message was sent, or if the receiver has no handler for the channel. Otherwise the receiving
 * node's handler is called as an event, with its own copy of the bytes.
 *
 * <p><b>Requests.</b> When the handler's future completes (at once, or later from another
 * event), the reply travels back as another message. The requester's future completes, always
 * from an event and never inside {@code request}, with the reply bytes; or, when the handler's
 * future failed, with a {@link ModkvException} of the same {@link ErrorCode} and message (any
 * other failure becomes {@link ErrorCode#INTERNAL}); or, when no reply arrived within the
 * timeout, with {@code UNAVAILABLE "peer X did not answer on channel C within N ms"}. A request
 * to an id that is not one of the node's {@link PeerNetwork#peerIds() peers} fails at once with
 * {@code UNAVAILABLE}. A request to a node that is down (crashed and not restarted) fails as a
 * refused connection would, after one network delay, with a {@code PeerUnreachableException}
 * (it was never sent). A handler that returns {@code null} for a request fails it with
 * {@code INTERNAL} (so does a reply future completed with {@code null}); a handler that throws
 * is a bug and fails the simulation step.
 *
 * <p>Defaults: delay 1–5 ms, no loss, no duplication, fully connected. Use it from the
 * simulation's thread only.
 */
public final class SimulatedNetwork {
    private static final long DEFAULT_MIN_DELAY = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long DEFAULT_MAX_DELAY = TimeUnit.MILLISECONDS.toNanos(5);

    private final Simulation sim;
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final Set<String> isolated = new HashSet<>();
    private final Set<Link> blocked = new HashSet<>();
    private Map<String, Integer> groups;
    private long minDelay = DEFAULT_MIN_DELAY;
    private long maxDelay = DEFAULT_MAX_DELAY;
    private double lossRate;
    private double duplicateRate;
    private long sent;
    private long delivered;
    private long dropped;
    private long nextRequestId;

    SimulatedNetwork(Simulation sim) {
        this.sim = sim;
    }

    /**
     * The {@link PeerNetwork} a node with this id uses; its {@code peerIds()} are
     * {@code clusterIds} minus the node itself, as an unmodifiable sorted set (so iterating it
     * is deterministic). Calling join again for the same id (a restart) replaces the node's
     * handlers: messages are then delivered to the handlers registered on the new one.
     */
    public PeerNetwork join(String nodeId, Set<String> clusterIds) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clusterIds, "clusterIds");
        sim.checkThread("join");
        TreeSet<String> peers = new TreeSet<>(clusterIds);
        peers.remove(nodeId);
        Endpoint endpoint = new Endpoint(nodeId, sim.generation(nodeId), Collections.unmodifiableSortedSet(peers));
        endpoints.put(nodeId, endpoint);
        return endpoint;
    }

    /** Each message copy travels for a uniformly random time in {@code [min, max]}. */
    public void delay(Duration min, Duration max) {
        long lo = min.toNanos();
        long hi = max.toNanos();
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("need 0 <= min <= max, got min=" + min + " max=" + max);
        }
        minDelay = lo;
        maxDelay = hi;
    }

    /** Probability in [0, 1] that a message is lost. */
    public void lossRate(double p) {
        lossRate = probability(p);
    }

    /** Probability in [0, 1] that a message (not lost) arrives twice, each copy with its own delay. */
    public void duplicateRate(double p) {
        duplicateRate = probability(p);
    }

    /**
     * Replaces the network's connectivity: nodes in different groups cannot exchange messages,
     * nodes listed in no group are isolated; earlier partitions, {@link #isolate isolations}
     * and {@link #block blocked links} are forgotten. Messages already in flight between nodes
     * that can no longer reach each other are dropped when they arrive.
     */
    @SafeVarargs
    public final void partition(Set<String>... groups) {
        Map<String, Integer> layout = new HashMap<>();
        StringBuilder description = new StringBuilder("partition ");
        for (int i = 0; i < groups.length; i++) {
            description.append(new TreeSet<>(groups[i]));
            for (String node : groups[i]) {
                Integer previous = layout.put(node, i);
                if (previous != null && previous != i) {
                    throw new IllegalArgumentException("node " + node + " is in two partition groups");
                }
            }
        }
        this.groups = layout;
        isolated.clear();
        blocked.clear();
        sim.traceLine("network", description::toString);
    }

    /** Cuts {@code nodeId} off from every other node until {@link #heal()}. */
    public void isolate(String nodeId) {
        isolated.add(Objects.requireNonNull(nodeId, "nodeId"));
        sim.traceLine("network", () -> "isolate " + nodeId);
    }

    /** Drops messages from {@code from} to {@code to} (one direction only) until {@link #heal()}. */
    public void block(String from, String to) {
        blocked.add(new Link(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to")));
        sim.traceLine("network", () -> "block " + from + "->" + to);
    }

    /** Ends every partition, isolation and blocked link. */
    public void heal() {
        groups = null;
        isolated.clear();
        blocked.clear();
        sim.traceLine("network", () -> "heal");
    }

    /** Whether a message from {@code from} to {@code to} would get through now (ignoring loss). */
    public boolean canReach(String from, String to) {
        if (isolated.contains(from) || isolated.contains(to) || blocked.contains(new Link(from, to))) {
            return false;
        }
        if (groups == null) {
            return true;
        }
        Integer a = groups.get(from);
        return a != null && a.equals(groups.get(to));
    }

    /** Messages sent (sends, requests and replies), before loss and duplication. */
    public long sent() {
        return sent;
    }

    /** Message copies that reached a handler or a waiting requester. */
    public long delivered() {
        return delivered;
    }

    /** Message copies dropped: lost, partitioned, to or from a crashed node, without a handler. */
    public long dropped() {
        return dropped;
    }

    @Override
    public String toString() {
        return "SimulatedNetwork(sent=" + sent + ", delivered=" + delivered + ", dropped=" + dropped + ")";
    }

    // ------------------------------------------------------------------ package-private

    /** The node crashed: forget its handlers. */
    void forget(String nodeId) {
        endpoints.remove(nodeId);
    }

    // ------------------------------------------------------------------ internals

    private static double probability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a probability is between 0 and 1, got " + p);
        }
        return p;
    }

    private void transmit(Message message) {
        sent++;
        if (!canReach(message.from, message.to)) {
            drop(message, "partitioned");
            return;
        }
        if (sim.chance(lossRate)) {
            drop(message, "lost");
            return;
        }
        int copies = sim.chance(duplicateRate) ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long at = sim.nowNanos() + sim.uniform(minDelay, maxDelay);
            sim.schedule(at, message.to, () -> "arrive " + message, () -> true, () -> arrive(message));
        }
    }

    private void drop(Message message, String reason) {
        dropped++;
        sim.traceLine(message.to, () -> "drop (" + reason + ") " + message);
    }

    private void arrive(Message message) {
        if (sim.crashedSince(message.from, message.fromGeneration)
                || sim.crashedSince(message.to, message.toGeneration)) {
            drop(message, "crashed");
            return;
        }
        if (!canReach(message.from, message.to)) {
            drop(message, "partitioned");
            return;
        }
        if (message.kind == Kind.REPLY) {
            delivered++;
            message.request.answer(message);
            return;
        }
        Endpoint endpoint = endpoints.get(message.to);
        PeerHandler handler = endpoint == null ? null : endpoint.handlers.get(message.channel);
        if (handler == null) {
            drop(message, "no handler");
            return;
        }
        delivered++;
        CompletableFuture<byte[]> result = handler.handle(message.from, message.payload.clone());
        if (message.kind == Kind.SEND) {
            return;
        }
        if (result == null) {
            reply(message, null, new ModkvException(ErrorCode.INTERNAL, "the handler for channel " + message.channel
                    + " on " + message.to + " returned no reply"));
            return;
        }
        result.whenComplete((reply, failure) -> reply(message, reply, failure));
    }

    /** Sends the reply to {@code request} back, unless the replying node crashed meanwhile. */
    private void reply(Message request, byte[] reply, Throwable failure) {
        sim.checkThread("reply to " + request);
        if (sim.crashedSince(request.to, request.toGeneration)) {
            dropped++;
            sim.traceLine(request.to, () -> "drop (crashed) reply to " + request);
            return;
        }
        Message answer = new Message(Kind.REPLY, request.to, request.toGeneration, request.from,
                request.fromGeneration, request.channel, reply == null ? null : reply.clone(), request.request);
        if (failure != null || reply == null) {
            ModkvException error = failure == null
                    ? new ModkvException(ErrorCode.INTERNAL, "the handler for channel " + request.channel + " on "
                            + request.to + " completed with no reply")
                    : asModkv(unwrap(failure), request);
            answer.errorCode = error.code();
            answer.errorMessage = error.getMessage();
        }
        transmit(answer);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static ModkvException asModkv(Throwable failure, Message request) {
        if (failure instanceof ModkvException modkv) {
            return modkv;
        }
        return new ModkvException(ErrorCode.INTERNAL, "peer " + request.to + " failed on channel " + request.channel
                + ": " + failure);
    }

    private enum Kind { SEND, REQUEST, REPLY }

    private record Link(String from, String to) {
    }

    /** One message; its copies share it (each delivery hands out its own copy of the bytes). */
    private static final class Message {
        final Kind kind;
        final String from;
        final long fromGeneration;
        final String to;
        final long toGeneration;
        final String channel;
        final byte[] payload;
        final PendingRequest request;
        ErrorCode errorCode;
        String errorMessage;

        Message(Kind kind, String from, long fromGeneration, String to, long toGeneration, String channel,
                byte[] payload, PendingRequest request) {
            this.kind = kind;
            this.from = from;
            this.fromGeneration = fromGeneration;
            this.to = to;
            this.toGeneration = toGeneration;
            this.channel = channel;
            this.payload = payload;
            this.request = request;
        }

        @Override
        public String toString() {
            String id = request == null ? "" : "#" + request.id;
            String body = errorCode != null ? "error " + errorCode : (payload == null ? 0 : payload.length) + "B";
            return kind.name().toLowerCase(java.util.Locale.ROOT) + id + " " + from + "->" + to + " " + channel + " "
                    + body;
        }
    }

    /** The requester's side of a request. */
    private final class PendingRequest {
        final long id;
        final CompletableFuture<byte[]> future = new CompletableFuture<>();
        Cancellable timeout;

        PendingRequest(long id) {
            this.id = id;
        }

        void answer(Message reply) {
            if (future.isDone()) {
                return; // a duplicate, or after the timeout
            }
            timeout.cancel();
            if (reply.errorCode != null) {
                future.completeExceptionally(new ModkvException(reply.errorCode, reply.errorMessage));
            } else {
                future.complete(reply.payload.clone());
            }
        }
    }

    /** A node's view of the network. */
    private final class Endpoint implements PeerNetwork {
        final String localId;
        final long generation;
        final SortedSet<String> peers;
        final Map<String, PeerHandler> handlers = new HashMap<>();

        Endpoint(String localId, long generation, SortedSet<String> peers) {
            this.localId = localId;
            this.generation = generation;
            this.peers = peers;
        }

        @Override
        public String localId() {
            return localId;
        }

        @Override
        public Set<String> peerIds() {
            return peers;
        }

        @Override
        public void send(String peerId, String channel, byte[] message) {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(message, "message");
            sim.checkThread("send from " + localId);
            Message m = new Message(Kind.SEND, localId, generation, peerId, sim.generation(peerId), channel,
                    message.clone(), null);
            if (sim.crashedSince(localId, generation)) {
                return; // a dead process sends nothing
            }
            if (!peers.contains(peerId)) {
                sent++;
                drop(m, "unknown peer");
                return;
            }
            transmit(m);
        }

        @Override
        public CompletableFuture<byte[]> request(String peerId, String channel, byte[] message, long timeoutMillis) {
            Objects.requireNonNull(peerId, "peerId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(message, "message");
            sim.checkThread("request from " + localId);
            if (!peers.contains(peerId)) {
                return CompletableFuture.failedFuture(new ModkvException(ErrorCode.UNAVAILABLE,
                        "unknown peer '" + peerId + "': the peers of " + localId + " are " + peers));
            }
            PendingRequest pending = new PendingRequest(++nextRequestId);
            if (sim.crashedSince(localId, generation)) {
                return pending.future; // a dead process waits forever
            }
            if (!endpoints.containsKey(peerId)) {
                // Down (crashed and not restarted): as a refused connection, the request never
                // leaves, and the requester learns so after one network delay.
                long at = sim.nowNanos() + sim.uniform(minDelay, maxDelay);
                sim.schedule(at, localId, () -> "refused request#" + pending.id + " to " + peerId + " " + channel,
                        () -> !sim.crashedSince(localId, generation),
                        () -> pending.future.completeExceptionally(new PeerUnreachableException("peer " + peerId
                                + " is down: the request on channel " + channel + " was not sent")));
                return pending.future;
            }
            long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
            long at = sim.nowNanos() + timeoutNanos < 0 ? Long.MAX_VALUE : sim.nowNanos() + timeoutNanos;
            pending.timeout = sim.schedule(at, localId,
                    () -> "timeout of request#" + pending.id + " to " + peerId + " " + channel,
                    () -> !sim.crashedSince(localId, generation),
                    () -> pending.future.completeExceptionally(new ModkvException(ErrorCode.UNAVAILABLE,
                            "peer " + peerId + " did not answer on channel " + channel + " within " + timeoutMillis
                                    + " ms")));
            transmit(new Message(Kind.REQUEST, localId, generation, peerId, sim.generation(peerId), channel,
                    message.clone(), pending));
            return pending.future;
        }

        @Override
        public void register(String channel, PeerHandler handler) {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(handler, "handler");
            sim.checkThread("register on " + localId);
            handlers.put(channel, handler);
        }

        @Override
        public String toString() {
            return "SimulatedPeerNetwork(" + localId + ", peers=" + peers + ")";
        }
    }
}
