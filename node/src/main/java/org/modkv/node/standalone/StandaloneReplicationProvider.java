package org.modkv.node.standalone;

import org.modkv.api.ApiVersion;
import org.modkv.api.replication.Replication;
import org.modkv.api.replication.ReplicationContext;
import org.modkv.api.replication.ReplicationProvider;

/** The built-in replication of a single node with no peers: writes go straight to storage. */
public final class StandaloneReplicationProvider implements ReplicationProvider {

    @Override
    public String name() {
        return "standalone";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "Single node, no peers: a write is acknowledged once storage has made it durable (built in)";
    }

    @Override
    public Replication start(ReplicationContext context) {
        return new StandaloneReplication(context.storage(), context.commits(), context.clock());
    }
}
