package org.modkv.replication.raft;

/**
 * What a leader knows about one follower: the next entry to send, the highest entry known to
 * match and be durable there, whether an AppendEntries with entries is on its
 * way, the last heartbeat round the follower answered and when it last answered at all.
 */
final class PeerProgress {
    final String id;
    long nextIndex;
    long matchIndex;
    boolean appendInFlight;
    long ackedRound;
    long lastReplyNanos;
    /** A snapshot being sent, while the follower needs entries compacted away here. */
    SnapshotTransfer snapshot;

    PeerProgress(String id, long nextIndex, long nowNanos) {
        this.id = id;
        this.nextIndex = nextIndex;
        this.lastReplyNanos = nowNanos;
    }
}
