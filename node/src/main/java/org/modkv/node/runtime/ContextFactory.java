package org.modkv.node.runtime;

import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.modkv.api.Plugin;
import org.modkv.api.PluginContext;
import org.modkv.api.time.Clock;
import org.modkv.node.config.NodeConfig;

/** Builds each plugin's context: its validated config and its own data directory. */
final class ContextFactory {
    private final NodeConfig config;
    private final Clock clock;
    private final KernelScheduler scheduler;

    @Inject
    ContextFactory(NodeConfig config, Clock clock, KernelScheduler scheduler) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** A context whose data directory is {@code <data.dir>/<kind>-<name>}, created if missing. */
    PluginContext forPlugin(Plugin plugin) throws IOException {
        Path dir = config.dataDir().resolve(plugin.kind().label() + "-" + plugin.name()).normalize();
        Files.createDirectories(dir);
        return new BasicPluginContext(config.nodeId(), config.configOf(plugin), dir, clock, scheduler);
    }
}
