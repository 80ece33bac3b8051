package org.modkv.replication.quorum.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.modkv.replication.quorum.antientropy.HashRange;
import org.modkv.replication.quorum.antientropy.MerkleTree;
import org.modkv.replication.quorum.coordinator.GetCoordinator;
import org.modkv.replication.quorum.coordinator.Outbound;
import org.modkv.replication.quorum.coordinator.Outcome;
import org.modkv.replication.quorum.coordinator.PutCoordinator;
import org.modkv.replication.quorum.replica.Key;
import org.modkv.replication.quorum.replica.QuorumReplica;
import org.modkv.replication.quorum.replica.StateEnvelope;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.VersionVector;
import org.modkv.testkit.sim.SimulatedScheduler;

/**
 * The shell around one node's pure parts in the simulation, doing what the plugin will do:
 * delivers messages to its {@link QuorumReplica}, runs coordinators (timeouts and deadlines on
 * the node's simulated scheduler), hands hints back, runs anti-entropy with a random peer and
 * asks for tombstone acknowledgements on a periodic tick. A crash loses everything but the
 * {@link InMemoryReplicaStore}.
 */
final class SimNode {
    static final long TICK_MS = 50;
    static final long REPLY_TIMEOUT_MS = 60;
    static final long DEADLINE_MS = 400;
    static final int TREE_DEPTH = 6;

    final String id;
    final InMemoryReplicaStore store = new InMemoryReplicaStore();
    private final QuorumSimCluster cluster;
    private SimulatedScheduler scheduler;
    private QuorumReplica replica;
    private boolean up;
    private final Map<Long, PendingPut> puts = new HashMap<>();
    private final Map<Long, PendingGet> gets = new HashMap<>();
    private final Map<Long, StateEnvelope> handoffs = new HashMap<>();
    private final Map<Long, String> handoffTargets = new HashMap<>();
    private long ticks;

    private record PendingPut(PutCoordinator coordinator, StateEnvelope envelope, Consumer<PutCoordinator> done,
            boolean[] reported) {
    }

    private record PendingGet(GetCoordinator coordinator, Key key, long startMillis, Consumer<GetCoordinator> done,
            boolean[] reported) {
    }

    SimNode(String id, QuorumSimCluster cluster) {
        this.id = id;
        this.cluster = cluster;
    }

    boolean isUp() {
        return up;
    }

    QuorumReplica replica() {
        return replica;
    }

    void start() {
        scheduler = cluster.sim.scheduler(id);
        replica = QuorumReplica.recover(id, cluster.ring, cluster.quorum, cluster.gc, store, TREE_DEPTH, now());
        up = true;
        scheduler.schedule(cluster.sim.random().nextInt((int) TICK_MS), TimeUnit.MILLISECONDS, this::tick);
    }

    void crash() {
        cluster.sim.crash(id);
        up = false;
        replica = null;
        puts.clear();
        gets.clear();
        handoffs.clear();
        handoffTargets.clear();
    }

    SimulatedScheduler scheduler() {
        return scheduler;
    }

    long now() {
        return cluster.sim.clock().currentTimeMillis();
    }

    // ------------------------------------------------------------------ client requests

    /** Coordinates a write (null value: a delete); {@code done} once decided; returns the new state (for its dot). */
    DvvSet write(Key key, VersionVector context, byte[] value, Consumer<PutCoordinator> done) {
        long now = now();
        DvvSet state = replica.coordinate(key, context, value, now);
        PutCoordinator put = new PutCoordinator(key.bytes(), state, id, replica.preferenceList(key),
                replica.fallbacks(key), cluster.quorum);
        long requestId = cluster.nextId();
        PendingPut pending = new PendingPut(put, new StateEnvelope(key, state, now), done, new boolean[1]);
        puts.put(requestId, pending);
        sendAll(requestId, put.start(), pending.envelope);
        afterPut(requestId, pending);
        scheduler.schedule(DEADLINE_MS, TimeUnit.MILLISECONDS, () -> {
            put.onDeadline();
            afterPut(requestId, pending);
        });
        return state;
    }

    void read(Key key, Consumer<GetCoordinator> done) {
        GetCoordinator get = new GetCoordinator(key.bytes(), replica.preferenceList(key), replica.fallbacks(key),
                cluster.quorum);
        long requestId = cluster.nextId();
        PendingGet pending = new PendingGet(get, key, now(), done, new boolean[1]);
        gets.put(requestId, pending);
        sendAll(requestId, get.start(), null);
        scheduler.schedule(DEADLINE_MS, TimeUnit.MILLISECONDS, () -> {
            repairs(pending, get.onDeadline());
            afterGet(requestId, pending);
        });
    }

    private void afterPut(long requestId, PendingPut pending) {
        if (pending.coordinator.outcome() != Outcome.PENDING && !pending.reported[0]) {
            pending.reported[0] = true;
            pending.done.accept(pending.coordinator);
        }
        if (pending.coordinator.isFinished()) {
            puts.remove(requestId);
        }
    }

    private void afterGet(long requestId, PendingGet pending) {
        if (pending.coordinator.outcome() != Outcome.PENDING && !pending.reported[0]) {
            pending.reported[0] = true;
            pending.done.accept(pending.coordinator);
        }
        if (pending.coordinator.isFinished()) {
            gets.remove(requestId);
        }
    }

    private void sendAll(long requestId, List<Outbound> messages, StateEnvelope envelope) {
        for (Outbound m : messages) {
            if (m instanceof Outbound.Store s) {
                send(s.target(), new SimMessage.Store(requestId, envelope, s.hintFor()));
            } else if (m instanceof Outbound.Fetch f) {
                send(f.target(), new SimMessage.Fetch(requestId, Key.of(f.key()), f.hintFor()));
            } else {
                throw new AssertionError("a coordinator's first messages are stores or fetches: " + m);
            }
            String target = m.target();
            scheduler.schedule(REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS, () -> timedOut(requestId, target));
        }
    }

    private void timedOut(long requestId, String target) {
        PendingPut put = puts.get(requestId);
        if (put != null) {
            sendAll(requestId, put.coordinator.onFailed(target), put.envelope);
            afterPut(requestId, put);
        }
        PendingGet get = gets.get(requestId);
        if (get != null) {
            List<Outbound> next = get.coordinator.onFailed(target);
            List<Outbound> fetches = next.stream().filter(o -> o instanceof Outbound.Fetch).toList();
            sendAll(requestId, fetches, null);
            repairs(get, next);
            afterGet(requestId, get);
        }
    }

    private void repairs(PendingGet get, List<Outbound> messages) {
        for (Outbound m : messages) {
            if (m instanceof Outbound.Repair r) {
                cluster.stats.readRepairs++;
                // the content is as old as the request: that is the time the receiver judges it by
                send(r.target(), new SimMessage.Repair(new StateEnvelope(get.key, r.state(), get.startMillis)));
            }
        }
    }

    // ------------------------------------------------------------------ messages

    void send(String target, SimMessage message) {
        if (target.equals(id)) {
            scheduler.execute(() -> receive(id, message));
        } else {
            cluster.send(id, target, message);
        }
    }

    void receive(String from, SimMessage message) {
        if (!up) {
            return;
        }
        long now = now();
        if (message instanceof SimMessage.Store s) {
            boolean kept = s.hintFor() == null ? replica.receive(s.envelope(), now) != null
                    : replica.keepHint(s.hintFor(), s.envelope(), now);
            if (kept) {
                send(from, new SimMessage.Stored(s.id()));
            }
        } else if (message instanceof SimMessage.Stored s) {
            PendingPut put = puts.get(s.id());
            if (put != null) {
                put.coordinator.onStored(from);
                afterPut(s.id(), put);
            }
        } else if (message instanceof SimMessage.Fetch f) {
            send(from, new SimMessage.Fetched(f.id(),
                    f.hintFor() == null ? replica.get(f.key()) : replica.hint(f.hintFor(), f.key())));
        } else if (message instanceof SimMessage.Fetched f) {
            PendingGet get = gets.get(f.id());
            if (get != null) {
                repairs(get, get.coordinator.onFetched(from, f.state()));
                afterGet(f.id(), get);
            }
        } else if (message instanceof SimMessage.Repair r) {
            replica.receive(r.envelope(), now);
        } else if (message instanceof SimMessage.Handoff h) {
            if (replica.receive(h.envelope(), now) != null) {
                send(from, new SimMessage.HandedOff(h.id()));
            }
        } else if (message instanceof SimMessage.HandedOff h) {
            StateEnvelope sent = handoffs.remove(h.id());
            String home = handoffTargets.remove(h.id());
            if (sent != null) {
                replica.hintDelivered(home, sent);
                cluster.stats.handoffs++;
            }
        } else if (message instanceof SimMessage.TreeOffer t) {
            List<HashRange> ranges = MerkleTree.diff(replica.tree(from), t.tree());
            if (!ranges.isEmpty()) {
                cluster.stats.antiEntropyRepairs++;
                send(from, new SimMessage.Exchange(ranges, replica.statesIn(from, ranges, now), true));
            }
        } else if (message instanceof SimMessage.Exchange e) {
            for (StateEnvelope state : e.states()) {
                replica.receive(state, now);
            }
            if (e.answer()) {
                send(from, new SimMessage.Exchange(e.ranges(), replica.statesIn(from, e.ranges(), now), false));
            }
        } else if (message instanceof SimMessage.TombstoneQuery q) {
            send(from, new SimMessage.TombstoneReport(q.key(), replica.tombstoneReport(q.key())));
        } else if (message instanceof SimMessage.TombstoneReport r) {
            replica.tombstoneAcknowledged(r.key(), from, r.context(), now);
        }
    }

    // ------------------------------------------------------------------ background work

    private void tick() {
        long now = now();
        ticks++;
        handoffs.clear();
        handoffTargets.clear();
        for (String home : replica.hintedNodes()) {
            for (StateEnvelope hint : replica.hintsToHandOff(home, 16, now)) {
                long requestId = cluster.nextId();
                handoffs.put(requestId, hint);
                handoffTargets.put(requestId, home);
                send(home, new SimMessage.Handoff(requestId, hint));
            }
        }
        if (ticks % 2 == 0) {
            List<String> peers = new ArrayList<>(cluster.ring.nodes());
            peers.remove(id);
            String peer = peers.get(cluster.sim.random().nextInt(peers.size()));
            send(peer, new SimMessage.TreeOffer(replica.tree(peer).copy()));
        }
        replica.tombstonesAwaitingAcks().entrySet().stream().limit(32).forEach(e -> {
            for (String node : e.getValue()) {
                send(node, new SimMessage.TombstoneQuery(e.getKey()));
            }
        });
        cluster.stats.tombstonesCollected += replica.collectTombstones(now).size();
        scheduler.schedule(TICK_MS, TimeUnit.MILLISECONDS, this::tick);
    }
}
