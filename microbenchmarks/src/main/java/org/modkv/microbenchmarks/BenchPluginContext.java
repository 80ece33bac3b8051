package org.modkv.microbenchmarks;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.modkv.api.Plugin;
import org.modkv.api.PluginContext;
import org.modkv.api.config.Config;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;

/**
 * What a plugin gets from the kernel, for running one in-process in a benchmark: its config
 * (defaults plus the given values, bound to its schema), a data directory, the system clock and
 * a scheduler on one daemon thread, started the first time a task comes.
 */
public class BenchPluginContext implements PluginContext {
    private final Config config;
    private final Path dataDir;
    private ScheduledExecutorService executor;

    public BenchPluginContext(Plugin plugin, Map<String, String> config, Path dataDir) {
        this.config = plugin.configSchema().bind(config);
        this.dataDir = dataDir;
    }

    @Override
    public String nodeId() {
        return "bench";
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Clock clock() {
        return Clock.system();
    }

    @Override
    public Scheduler scheduler() {
        return new Scheduler() {
            @Override
            public void execute(Runnable task) {
                executor().execute(task);
            }

            @Override
            public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
                ScheduledFuture<?> future = executor().schedule(task, delay, unit);
                return () -> future.cancel(false);
            }
        };
    }

    private synchronized ScheduledExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "bench-plugin-scheduler");
                thread.setDaemon(true);
                return thread;
            });
        }
        return executor;
    }
}
