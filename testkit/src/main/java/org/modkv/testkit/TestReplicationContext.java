package org.modkv.testkit;

import java.util.Objects;
import org.modkv.api.PluginContext;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.ReplicationContext;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.transport.PeerNetwork;

/**
 * A {@link ReplicationContext} for tests of a replication plugin: a plugin context (usually a
 * {@link TestPluginContext}, e.g. with a simulation's clock and scheduler) plus the storage
 * engine, peer network and commit listener the test chooses. The test owns all of them.
 */
public final class TestReplicationContext extends ForwardingPluginContext implements ReplicationContext {
    private final StorageEngine storage;
    private final PeerNetwork peers;
    private final CommitListener commits;

    public TestReplicationContext(PluginContext base, StorageEngine storage, PeerNetwork peers, CommitListener commits) {
        super(base);
        this.storage = Objects.requireNonNull(storage, "storage");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.commits = Objects.requireNonNull(commits, "commits");
    }

    @Override
    public StorageEngine storage() {
        return storage;
    }

    @Override
    public PeerNetwork peers() {
        return peers;
    }

    @Override
    public CommitListener commits() {
        return commits;
    }
}
