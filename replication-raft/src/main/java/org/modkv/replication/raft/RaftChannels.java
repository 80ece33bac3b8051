package org.modkv.replication.raft;

/** The {@link org.modkv.api.transport.PeerNetwork} channels Raft uses, one per message kind. */
final class RaftChannels {
    static final String VOTE = "raft.vote";
    static final String APPEND = "raft.append";
    static final String SNAPSHOT = "raft.snapshot";
    static final String FORWARD_WRITE = "raft.forward-write";
    static final String READ_INDEX = "raft.read-index";
    static final String TIMEOUT_NOW = "raft.timeout-now";

    private RaftChannels() {
    }
}
