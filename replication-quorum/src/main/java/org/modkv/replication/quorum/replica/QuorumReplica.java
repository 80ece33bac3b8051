package org.modkv.replication.quorum.replica;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.modkv.replication.quorum.antientropy.HashRange;
import org.modkv.replication.quorum.antientropy.MerkleTree;
import org.modkv.replication.quorum.coordinator.QuorumSettings;
import org.modkv.replication.quorum.ring.HashRing;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.PendingTombstone;
import org.modkv.replication.quorum.version.TombstoneGcSettings;
import org.modkv.replication.quorum.version.VersionVector;

/**
 * One node's replica of the keys the ring gives it, as a pure state machine over a
 * {@link ReplicaStore}: no threads, no I/O of its own, time as an argument. The shell (the
 * plugin, or the simulation) delivers messages to it and sends what the coordinators emit.
 *
 * <p>It owns: the durable states (through the store); a node-wide dot counter so that no dot is
 * ever issued twice (not even for a key collected and written again); one {@link MerkleTree}
 * per peer over the keys both should hold, kept current on every change and rebuilt from the
 * store on {@link #recover}; the hints it holds for other nodes; and the tombstones it is
 * waiting to collect ({@link PendingTombstone}). See docs/design/quorum.md.
 */
public final class QuorumReplica {
    private final String self;
    private final HashRing ring;
    private final QuorumSettings quorum;
    private final TombstoneGcSettings gc;
    private final ReplicaStore store;
    private final int treeDepth;
    private final Map<String, MerkleTree> trees = new TreeMap<>();
    private final Map<Key, PendingTombstone> tombstones = new HashMap<>();
    /** Tombstones collected within the last grace period: a copy of one arriving late is not stored again. */
    private final Map<Key, CollectedTombstone> recentlyCollected = new HashMap<>();

    private record CollectedTombstone(VersionVector context, long collectedAtMillis) {
    }

    private QuorumReplica(String self, HashRing ring, QuorumSettings quorum, TombstoneGcSettings gc, ReplicaStore store,
            int treeDepth) {
        if (!ring.nodes().contains(self)) {
            throw new IllegalArgumentException("node " + self + " is not on the ring " + ring.nodes());
        }
        if (quorum.n() > ring.nodes().size()) {
            throw new IllegalArgumentException("n=" + quorum.n() + " replicas need at least " + quorum.n()
                    + " nodes on the ring, it has " + ring.nodes().size());
        }
        this.self = self;
        this.ring = ring;
        this.quorum = quorum;
        this.gc = gc;
        this.store = store;
        this.treeDepth = treeDepth;
        for (String peer : ring.nodes()) {
            if (!peer.equals(self)) {
                trees.put(peer, new MerkleTree(treeDepth));
            }
        }
    }

    /** The replica over what {@code store} holds after a start or a crash: trees and pending tombstones rebuilt from it. */
    public static QuorumReplica recover(String self, HashRing ring, QuorumSettings quorum, TombstoneGcSettings gc,
            ReplicaStore store, int treeDepth, long nowMillis) {
        QuorumReplica replica = new QuorumReplica(self, ring, quorum, gc, store, treeDepth);
        store.forEach((key, state) -> replica.track(key, DvvSet.empty(), state, nowMillis));
        return replica;
    }

    public String self() {
        return self;
    }

    /** The key's home replicas. */
    public List<String> preferenceList(Key key) {
        return ring.preferenceList(key.bytes(), quorum.n());
    }

    /** The nodes after the preference list in the ring's walk: the key's fallbacks. */
    public List<String> fallbacks(Key key) {
        List<String> walk = ring.walk(key.bytes());
        return walk.subList(quorum.n(), walk.size());
    }

    public DvvSet get(Key key) {
        return store.get(key);
    }

    /**
     * Applies a client's write (or, with a null value, delete) that this node coordinates:
     * a fresh dot of this node, the siblings {@code readContext} has seen superseded. Durable on
     * return; the result goes to the other replicas.
     *
     * @throws IllegalArgumentException if this node is not a home replica of the key
     */
    public DvvSet coordinate(Key key, VersionVector readContext, byte[] value, long nowMillis) {
        if (!preferenceList(key).contains(self)) {
            throw new IllegalArgumentException("node " + self + " is not a replica of key " + key + " ("
                    + preferenceList(key) + ")");
        }
        DvvSet current = store.get(key);
        DvvSet next = current.update(readContext, value, self, store.dotCounter(), nowMillis);
        store.dotCounter(next.context().get(self));
        apply(key, current, next, nowMillis);
        return next;
    }

    /**
     * Merges a state another node sent (a replicated write, a read repair, an anti-entropy
     * exchange, a handed-off hint) and returns the merged state. A state older than
     * {@link TombstoneGcSettings#maxStateAgeMillis()} is refused (returns null, nothing changes):
     * it may predate a tombstone already collected.
     */
    public DvvSet receive(StateEnvelope envelope, long nowMillis) {
        if (isStale(envelope.stateTimeMillis(), nowMillis)) {
            return null;
        }
        Key key = envelope.key();
        DvvSet current = store.get(key);
        CollectedTombstone collected = recentlyCollected.get(key);
        if (current.isEmpty() && collected != null && envelope.state().isTombstoneOnly()
                && collected.context().dominates(envelope.state().context())) {
            return current; // a late copy of what this replica already collected
        }
        DvvSet merged = current.merge(envelope.state());
        if (!merged.equals(current)) {
            apply(key, current, merged, nowMillis);
        }
        return merged;
    }

    /** Whether a state read at {@code stateTimeMillis} is too old to accept at {@code nowMillis}. */
    public boolean isStale(long stateTimeMillis, long nowMillis) {
        return nowMillis - stateTimeMillis > gc.maxStateAgeMillis();
    }

    // ------------------------------------------------------------------ hints

    /** Keeps {@code envelope}'s state as a hint for {@code home}; false (nothing kept) if it is stale. */
    public boolean keepHint(String home, StateEnvelope envelope, long nowMillis) {
        if (isStale(envelope.stateTimeMillis(), nowMillis)) {
            return false;
        }
        Hint old = store.hints(home).get(envelope.key());
        Hint hint = old == null ? new Hint(envelope.state(), envelope.stateTimeMillis())
                : new Hint(old.state().merge(envelope.state()), Math.min(old.stateTimeMillis(), envelope.stateTimeMillis()));
        store.putHint(home, envelope.key(), hint);
        return true;
    }

    /** The hinted state for {@code home} of {@code key} (empty if none): what a fallback answers a fetch with. */
    public DvvSet hint(String home, Key key) {
        Hint hint = store.hints(home).get(key);
        return hint == null ? DvvSet.empty() : hint.state();
    }

    /** The hints to hand back to {@code home}, at most {@code limit}, dropping those past their TTL. */
    public List<StateEnvelope> hintsToHandOff(String home, int limit, long nowMillis) {
        List<StateEnvelope> out = new ArrayList<>();
        for (Map.Entry<Key, Hint> e : new ArrayList<>(store.hints(home).entrySet())) {
            if (nowMillis - e.getValue().stateTimeMillis() > gc.hintTtlMillis()) {
                store.removeHint(home, e.getKey());
            } else if (out.size() < limit) {
                out.add(new StateEnvelope(e.getKey(), e.getValue().state(), e.getValue().stateTimeMillis()));
            }
        }
        return out;
    }

    /** {@code home} has {@code handedOff} durable: drop the hint unless it changed meanwhile. */
    public void hintDelivered(String home, StateEnvelope handedOff) {
        Hint hint = store.hints(home).get(handedOff.key());
        if (hint != null && hint.state().equals(handedOff.state())) {
            store.removeHint(home, handedOff.key());
        }
    }

    /** The nodes this one holds hints for. */
    public List<String> hintedNodes() {
        List<String> nodes = new ArrayList<>();
        store.hintedNodes().forEach(nodes::add);
        return nodes;
    }

    // ------------------------------------------------------------------ anti-entropy

    /** The tree over the keys this node and {@code peer} both replicate. */
    public MerkleTree tree(String peer) {
        MerkleTree tree = trees.get(peer);
        if (tree == null) {
            throw new IllegalArgumentException("node " + peer + " is not a peer of " + self + " on the ring");
        }
        return tree;
    }

    /**
     * The states of the keys shared with {@code peer} whose tree position is in {@code ranges},
     * read at {@code nowMillis}. Scans the store: the plugin needs an index by position for this
     * (docs/design/quorum.md, "Wiring still to do").
     */
    public List<StateEnvelope> statesIn(String peer, List<HashRange> ranges, long nowMillis) {
        List<StateEnvelope> out = new ArrayList<>();
        store.forEach((key, state) -> {
            long position = MerkleTree.position(key.bytes());
            if (preferenceList(key).contains(peer) && ranges.stream().anyMatch(r -> r.contains(position))) {
                out.add(new StateEnvelope(key, state, nowMillis));
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ tombstones

    /** The keys whose tombstones wait for acknowledgements, and from whom. */
    public Map<Key, List<String>> tombstonesAwaitingAcks() {
        Map<Key, List<String>> out = new TreeMap<>();
        tombstones.forEach((key, pending) -> {
            if (!pending.allAcknowledged()) {
                out.put(key, pending.missing());
            }
        });
        return out;
    }

    /**
     * What this replica reports when asked whether it holds a tombstone of {@code key}: the
     * context of its state, or of the tombstone it recently collected (it held that one durably).
     */
    public VersionVector tombstoneReport(Key key) {
        VersionVector context = store.get(key).context();
        CollectedTombstone collected = recentlyCollected.get(key);
        return collected == null ? context : context.merge(collected.context());
    }

    /** {@code node} reported {@code context} for {@code key} at {@code nowMillis}. */
    public void tombstoneAcknowledged(Key key, String node, VersionVector context, long nowMillis) {
        PendingTombstone pending = tombstones.get(key);
        if (pending != null) {
            pending.acknowledge(node, context, nowMillis);
        }
    }

    /** Removes every tombstone that may now go ({@link PendingTombstone#collectible}); returns their keys. */
    public List<Key> collectTombstones(long nowMillis) {
        recentlyCollected.values().removeIf(c -> nowMillis - c.collectedAtMillis() > gc.graceMillis());
        List<Key> collected = new ArrayList<>();
        for (Map.Entry<Key, PendingTombstone> e : new ArrayList<>(tombstones.entrySet())) {
            DvvSet current = store.get(e.getKey());
            if (e.getValue().collectible(current, nowMillis, gc)) {
                store.remove(e.getKey());
                track(e.getKey(), current, DvvSet.empty(), nowMillis);
                recentlyCollected.put(e.getKey(), new CollectedTombstone(current.context(), nowMillis));
                collected.add(e.getKey());
            }
        }
        return collected;
    }

    /** How many tombstones this replica holds. */
    public int tombstoneCount() {
        return tombstones.size();
    }

    // ------------------------------------------------------------------ internals

    private void apply(Key key, DvvSet before, DvvSet after, long nowMillis) {
        store.put(key, after);
        track(key, before, after, nowMillis);
    }

    /** Keeps the trees and the pending tombstones in step with a key's change from {@code before} to {@code after}. */
    private void track(Key key, DvvSet before, DvvSet after, long nowMillis) {
        List<String> replicas = preferenceList(key);
        long position = MerkleTree.position(key.bytes());
        long oldItem = before.isEmpty() ? 0 : MerkleTree.itemHash(key.bytes(), before);
        long newItem = after.isEmpty() ? 0 : MerkleTree.itemHash(key.bytes(), after);
        for (String peer : replicas) {
            if (!peer.equals(self)) {
                trees.get(peer).update(position, oldItem, newItem);
            }
        }
        if (after.isTombstoneOnly() && replicas.contains(self)) {
            PendingTombstone pending = new PendingTombstone(after, replicas);
            pending.acknowledge(self, after.context(), nowMillis);
            tombstones.put(key, pending);
        } else {
            tombstones.remove(key);
        }
    }
}
