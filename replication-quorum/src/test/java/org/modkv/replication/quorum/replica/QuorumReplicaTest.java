package org.modkv.replication.quorum.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.modkv.replication.quorum.coordinator.QuorumSettings;
import org.modkv.replication.quorum.ring.HashRing;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.TombstoneGcSettings;
import org.modkv.replication.quorum.version.VersionVector;

/** One node's replica: who may coordinate, stale states refused, hints, recovery of its trees, dots never reused. */
class QuorumReplicaTest {
    private static final HashRing RING = HashRing.of(List.of("a", "b", "c", "d"), 16);
    private static final TombstoneGcSettings GC = new TombstoneGcSettings(1_000, 500, 100);

    /** A durable store kept in maps (what survives a crash). */
    static final class MapStore implements ReplicaStore {
        final TreeMap<Key, DvvSet> data = new TreeMap<>();
        final Map<String, TreeMap<Key, Hint>> hints = new HashMap<>();
        long counter;

        @Override public DvvSet get(Key key) { return data.getOrDefault(key, DvvSet.empty()); }
        @Override public void put(Key key, DvvSet state) { data.put(key, state); }
        @Override public void remove(Key key) { data.remove(key); }
        @Override public void forEach(BiConsumer<Key, DvvSet> visitor) { data.forEach(visitor); }
        @Override public long dotCounter() { return counter; }
        @Override public void dotCounter(long counter) { this.counter = counter; }
        @Override public Map<Key, Hint> hints(String home) { return hints.getOrDefault(home, new TreeMap<>()); }
        @Override public Iterable<String> hintedNodes() { return List.copyOf(hints.keySet()); }
        @Override public void putHint(String home, Key key, Hint hint) { hints.computeIfAbsent(home, h -> new TreeMap<>()).put(key, hint); }
        @Override public void removeHint(String home, Key key) { hints.getOrDefault(home, new TreeMap<>()).remove(key); }
    }

    private static QuorumReplica replica(String self, ReplicaStore store) {
        return QuorumReplica.recover(self, RING, QuorumSettings.DEFAULTS, GC, store, 6, 0);
    }

    private static Key keyOwnedBy(String node, boolean owned) {
        return keyOwnedBy(node, owned, 0);
    }

    private static Key keyOwnedBy(String node, boolean owned, int from) {
        for (int i = from; ; i++) {
            Key key = Key.of(("key" + i).getBytes(StandardCharsets.UTF_8));
            if (RING.preferenceList(key.bytes(), 3).contains(node) == owned) {
                return key;
            }
        }
    }

    @Test
    void onlyAHomeReplicaCoordinatesAndItsDotsAreNeverReusedAcrossACrash() {
        MapStore store = new MapStore();
        QuorumReplica a = replica("a", store);
        Key foreign = keyOwnedBy("a", false);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> a.coordinate(foreign, VersionVector.empty(), new byte[] {1}, 0)).getMessage()
                .startsWith("node a is not a replica of key " + foreign));
        Key key = keyOwnedBy("a", true);
        DvvSet first = a.coordinate(key, VersionVector.empty(), new byte[] {1}, 0);
        DvvSet second = a.coordinate(key, first.context(), new byte[] {2}, 1);
        assertEquals(2, second.context().get("a"));
        QuorumReplica restarted = replica("a", store);
        assertEquals(a.tree("b").root(), restarted.tree("b").root(), "trees rebuilt from the store");
        Key another = keyOwnedBy("a", true, 1000);
        assertTrue(restarted.get(another).isEmpty());
        DvvSet other = restarted.coordinate(another, VersionVector.empty(), new byte[] {3}, 2);
        assertEquals(3, other.siblings().get(0).dot().counter(), "the node-wide counter survived the restart");
    }

    @Test
    void refusesAStateOlderThanHintTtlPlusMessageAgeAndKeepsTheOldestTimeOfAHint() {
        QuorumReplica b = replica("b", new MapStore());
        Key key = keyOwnedBy("b", true);
        DvvSet state = DvvSet.empty().update(VersionVector.empty(), new byte[] {7}, "a", 0, 0);
        assertNull(b.receive(new StateEnvelope(key, state, 0), 601));
        assertEquals(state, b.receive(new StateEnvelope(key, state, 0), 600));

        DvvSet later = state.update(state.context(), new byte[] {8}, "a", 0, 5);
        assertTrue(b.keepHint("c", new StateEnvelope(key, state, 100), 100));
        assertTrue(b.keepHint("c", new StateEnvelope(key, later, 300), 300));
        assertEquals(later, b.hint("c", key));
        assertEquals(List.of(), b.hintsToHandOff("c", 10, 601), "past its TTL from the oldest content: dropped");
        assertEquals(List.of(), b.hintedNodes().stream().filter(n -> !b.hintsToHandOff(n, 1, 601).isEmpty()).toList());
    }

    @Test
    void aHintIsKeptWhenItChangedWhileBeingHandedOff() {
        QuorumReplica d = replica("d", new MapStore());
        Key key = keyOwnedBy("a", true);
        DvvSet state = DvvSet.empty().update(VersionVector.empty(), new byte[] {1}, "a", 0, 0);
        d.keepHint("a", new StateEnvelope(key, state, 10), 10);
        StateEnvelope sent = d.hintsToHandOff("a", 10, 20).get(0);
        d.keepHint("a", new StateEnvelope(key, state.update(state.context(), new byte[] {2}, "a", 0, 1), 15), 15);
        d.hintDelivered("a", sent);
        assertEquals(1, d.hintsToHandOff("a", 10, 20).size(), "the newer hint stays");
    }
}
