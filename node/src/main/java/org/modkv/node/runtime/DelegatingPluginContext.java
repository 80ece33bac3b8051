package org.modkv.node.runtime;

import java.nio.file.Path;
import org.modkv.api.PluginContext;
import org.modkv.api.config.Config;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;

/** The plugin basics of a richer context (transport, replication), taken from a base context. */
abstract class DelegatingPluginContext implements PluginContext {
    private final PluginContext base;

    DelegatingPluginContext(PluginContext base) {
        this.base = base;
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
