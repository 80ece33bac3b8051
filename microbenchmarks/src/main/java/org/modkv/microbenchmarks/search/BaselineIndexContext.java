package org.modkv.microbenchmarks.search;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.modkv.api.config.Config;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;

/**
 * What an index plugin gets from the kernel, for running one in-process in a baseline: its
 * config (defaults plus the given values), a data directory, the system clock, a one-thread
 * scheduler, and no stored data (the baseline feeds the index through {@code apply}).
 */
final class BaselineIndexContext implements IndexContext, AutoCloseable {
    private final Config config;
    private final Path dataDir;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "baseline-index-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    BaselineIndexContext(IndexProvider provider, Map<String, String> config, Path dataDir) {
        this.config = provider.configSchema().bind(config);
        this.dataDir = dataDir;
    }

    @Override
    public StoredData storedData() {
        return new StoredData() {
            @Override
            public Optional<StoredRecord> get(byte[] key) {
                return Optional.empty();
            }

            @Override
            public void scan(Consumer<StoredRecord> visitor) {
            }

            @Override
            public long lastSequence() {
                return 0;
            }
        };
    }

    @Override
    public String nodeId() {
        return "baseline";
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
                executor.execute(task);
            }

            @Override
            public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
                ScheduledFuture<?> future = executor.schedule(task, delay, unit);
                return () -> future.cancel(false);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
