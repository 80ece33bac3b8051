package org.modkv.node.runtime;

import org.modkv.api.PluginContext;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.ReplicationContext;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.transport.PeerNetwork;

/** A replication plugin's context: the plugin basics plus storage, peers and the commit listener. */
final class KernelReplicationContext extends DelegatingPluginContext implements ReplicationContext {
    private final StorageEngine storage;
    private final PeerNetwork peers;
    private final CommitListener commits;

    KernelReplicationContext(PluginContext base, StorageEngine storage, PeerNetwork peers, CommitListener commits) {
        super(base);
        this.storage = storage;
        this.peers = peers;
        this.commits = commits;
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
