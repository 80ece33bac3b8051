package org.modkv.testkit;

import java.nio.file.Path;
import java.util.Objects;
import org.modkv.api.PluginContext;
import org.modkv.api.config.Config;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.ReplicationContext;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.PeerNetwork;

/**
 * A {@link ReplicationContext} for tests of a replication plugin: a plugin context (usually a
 * {@link TestPluginContext}, e.g. with a simulation's clock and scheduler) plus the storage
 * engine, peer network and commit listener the test chooses. The test owns all of them.
 */
public final class TestReplicationContext implements ReplicationContext {
    private final PluginContext base;
    private final StorageEngine storage;
    private final PeerNetwork peers;
    private final CommitListener commits;

    public TestReplicationContext(PluginContext base, StorageEngine storage, PeerNetwork peers, CommitListener commits) {
        this.base = Objects.requireNonNull(base, "base");
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
