package org.modkv.node.runtime;

import java.nio.file.Path;
import org.modkv.api.PluginContext;
import org.modkv.api.config.Config;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.ReplicationContext;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.PeerNetwork;

/** A replication plugin's context: the plugin basics plus storage, peers and the commit listener. */
record KernelReplicationContext(PluginContext base, StorageEngine storage, PeerNetwork peers, CommitListener commits)
        implements ReplicationContext {
    @Override
    public String nodeId() {
        return base.nodeId();
    }

    @Override
    public Config config() {
        return base.config();
    }

    @Override
    public Path dataDir() {
        return base.dataDir();
    }

    @Override
    public Clock clock() {
        return base.clock();
    }

    @Override
    public Scheduler scheduler() {
        return base.scheduler();
    }
}
