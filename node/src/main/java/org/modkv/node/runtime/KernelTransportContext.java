package org.modkv.node.runtime;

import java.nio.file.Path;
import org.modkv.api.PluginContext;
import org.modkv.api.config.Config;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.TransportContext;

/** A transport's context: the plugin basics plus the request pipeline. */
record KernelTransportContext(PluginContext base, RequestHandler requests) implements TransportContext {
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
