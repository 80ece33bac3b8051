package org.modkv.replication.raft;

/**
 * The validated {@code raft.*} settings of one node.
 *
 * @param electionTimeoutMs a follower that hears nothing from a leader for a random time between
 *     this and twice this starts an election
 * @param heartbeatIntervalMs how often a leader contacts followers that have nothing to receive
 * @param requestTimeoutMs how long a write or read may wait for a leader, a commit or a forwarded
 *     answer before it fails with {@code UNAVAILABLE}
 * @param maxAppendEntries most entries in one AppendEntries message
 * @param maxAppendBytes most entry bytes in one AppendEntries message (at least one entry is sent)
 * @param snapshotEntries applied entries after which the log prefix is compacted
 * @param snapshotChunkBytes bytes of snapshot per message when a follower must be sent one
 */
record RaftSettings(long electionTimeoutMs, long heartbeatIntervalMs, long requestTimeoutMs,
                    int maxAppendEntries, int maxAppendBytes, long snapshotEntries, int snapshotChunkBytes) {

    RaftSettings {
        if (heartbeatIntervalMs * 2 > electionTimeoutMs) {
            throw new IllegalArgumentException("raft.heartbeat.interval.ms (" + heartbeatIntervalMs
                    + ") must be at most half of raft.election.timeout.ms (" + electionTimeoutMs
                    + "), or followers start elections while the leader is healthy");
        }
    }

    /** Defaults: etcd's 1 s election timeout and 100 ms heartbeat. */
    static RaftSettings defaults() {
        return new RaftSettings(1000, 100, 5000, 512, 1 << 20, 100_000, 1 << 20);
    }
}
