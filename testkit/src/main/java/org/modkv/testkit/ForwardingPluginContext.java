package org.modkv.testkit;

import java.nio.file.Path;
import java.util.Objects;
import org.modkv.api.PluginContext;
import org.modkv.api.config.Config;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;

/**
 * The plugin basics of a richer test context (replication, index), taken from a base context
 * such as a {@link TestPluginContext}.
 */
public abstract class ForwardingPluginContext implements PluginContext {
    private final PluginContext base;

    protected ForwardingPluginContext(PluginContext base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    @Override
    public final String nodeId() {
        return base.nodeId();
    }

    @Override
    public final Config config() {
        return base.config();
    }

    @Override
    public final Path dataDir() {
        return base.dataDir();
    }

    @Override
    public final Clock clock() {
        return base.clock();
    }

    @Override
    public final Scheduler scheduler() {
        return base.scheduler();
    }
}
