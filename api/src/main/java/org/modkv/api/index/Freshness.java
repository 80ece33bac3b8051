package org.modkv.api.index;

/** What a query must see, chosen per request. */
public enum Freshness {
    /**
     * The default: every write acknowledged before the query arrived, on any node of the cluster.
     * The kernel asks replication for a read barrier (under Raft a read-index round), waits until
     * local storage has applied it, then until the index has caught up with it; the wait ends with
     * an error after {@code index.freshness.timeout.ms}.
     */
    FRESH,
    /** Whatever this node's index holds now, without waiting (RESP and CLI option {@code STALE}). */
    STALE
}
