package org.modkv.api.replication;

/**
 * How many replicas must take part in a read or write. Plugins map these onto their model and
 * document how; {@code standalone} treats them all alike.
 */
public enum Consistency {
    /** The plugin's configured default (e.g. linearizable for Raft, R/W for quorum). */
    DEFAULT,
    /** One replica: may read stale data (Raft: a follower's local copy). */
    ONE,
    /** A majority, or the configured R/W: Raft reads are linearizable. */
    QUORUM,
    /** Every replica in the key's replica set. */
    ALL
}
