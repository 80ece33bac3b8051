package org.modkv.api;

import java.nio.file.Path;
import org.modkv.api.config.Config;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;

/**
 * What the kernel gives every plugin when it starts it. Implementations are provided by the
 * kernel (or by {@code testkit} in tests); plugins never implement this.
 *
 * <p>Threading and ownership: every method may be called from any thread and returns the same
 * object each time; the kernel owns what it returns (the scheduler, the clock) for the node's
 * lifetime, so a plugin cancels its own scheduled work but never shuts the scheduler down.
 */
public interface PluginContext {

    /** This node's id, unique in its cluster. */
    String nodeId();

    /** The validated values of the keys in the plugin's {@link Plugin#configSchema()}. */
    Config config();

    /**
     * A directory that belongs to this plugin alone (created by the kernel), under the node's
     * data directory. Plugins keep all their files under it. It is absolute and normalized
     * (the kernel resolves a relative {@code data.dir} once, at start-up), so paths built from
     * it compare equal however {@code data.dir} was spelt.
     */
    Path dataDir();

    /** Time, so that simulations can drive it. */
    Clock clock();

    /** Timers and deferred work, so that simulations can drive them. */
    Scheduler scheduler();
}
