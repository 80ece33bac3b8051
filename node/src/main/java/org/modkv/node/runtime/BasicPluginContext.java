package org.modkv.node.runtime;

import java.nio.file.Path;
import org.modkv.api.PluginContext;
import org.modkv.api.config.Config;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;

/** The {@link PluginContext} the kernel hands a plugin. */
record BasicPluginContext(String nodeId, Config config, Path dataDir, Clock clock, Scheduler scheduler)
        implements PluginContext {
}
