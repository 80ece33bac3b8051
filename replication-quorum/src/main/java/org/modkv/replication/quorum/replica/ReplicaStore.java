package org.modkv.replication.quorum.replica;

import java.util.Map;
import java.util.function.BiConsumer;
import org.modkv.replication.quorum.version.DvvSet;

/**
 * What a {@link QuorumReplica} keeps across a crash: each key's state, the hints it holds for
 * other nodes, and its dot counter. Every method that changes something returns only once the
 * change is durable. Single-threaded use by its replica.
 */
public interface ReplicaStore {
    /** The state of {@code key}, or {@link DvvSet#empty()}. */
    DvvSet get(Key key);

    void put(Key key, DvvSet state);

    void remove(Key key);

    /** Every key and state, in any order. */
    void forEach(BiConsumer<Key, DvvSet> visitor);

    /** The highest dot counter this node has issued (0 at first). */
    long dotCounter();

    void dotCounter(long counter);

    /** The hints held for {@code home}, by key (empty when none). */
    Map<Key, Hint> hints(String home);

    /** The nodes this one holds hints for. */
    Iterable<String> hintedNodes();

    void putHint(String home, Key key, Hint hint);

    void removeHint(String home, Key key);
}
