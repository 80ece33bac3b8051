package org.modkv.replication.quorum.sim;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.modkv.replication.quorum.replica.Hint;
import org.modkv.replication.quorum.replica.Key;
import org.modkv.replication.quorum.replica.ReplicaStore;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.DvvSetCodec;

/**
 * The simulated durable store of one node: it outlives the node's crashes (the replica's
 * in-memory state, its trees, pending tombstones and coordinators do not). States are kept
 * encoded, so every run also exercises {@link DvvSetCodec}.
 */
final class InMemoryReplicaStore implements ReplicaStore {
    private final TreeMap<Key, byte[]> data = new TreeMap<>();
    private final TreeMap<String, TreeMap<Key, Hint>> hints = new TreeMap<>();
    private long counter;

    @Override
    public DvvSet get(Key key) {
        byte[] bytes = data.get(key);
        return bytes == null ? DvvSet.empty() : DvvSetCodec.decode(bytes);
    }

    @Override
    public void put(Key key, DvvSet state) {
        data.put(key, DvvSetCodec.encode(state));
    }

    @Override
    public void remove(Key key) {
        data.remove(key);
    }

    @Override
    public void forEach(BiConsumer<Key, DvvSet> visitor) {
        for (Map.Entry<Key, byte[]> e : new TreeMap<>(data).entrySet()) {
            visitor.accept(e.getKey(), DvvSetCodec.decode(e.getValue()));
        }
    }

    @Override
    public long dotCounter() {
        return counter;
    }

    @Override
    public void dotCounter(long counter) {
        this.counter = counter;
    }

    @Override
    public Map<Key, Hint> hints(String home) {
        return Collections.unmodifiableMap(hints.getOrDefault(home, new TreeMap<>()));
    }

    @Override
    public Iterable<String> hintedNodes() {
        return new java.util.ArrayList<>(hints.keySet());
    }

    @Override
    public void putHint(String home, Key key, Hint hint) {
        hints.computeIfAbsent(home, h -> new TreeMap<>()).put(key, hint);
    }

    @Override
    public void removeHint(String home, Key key) {
        TreeMap<Key, Hint> forHome = hints.get(home);
        if (forHome != null) {
            forHome.remove(key);
            if (forHome.isEmpty()) {
                hints.remove(home);
            }
        }
    }

    int hintCount() {
        return hints.values().stream().mapToInt(Map::size).sum();
    }

    Iterable<Key> keys() {
        return new java.util.ArrayList<>(data.keySet());
    }
}
