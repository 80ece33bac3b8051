package org.modkv.transport.resp;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.modkv.api.config.Config;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.TransportContext;
import org.modkv.testkit.transport.RecordedLatencies;

/**
 * A real {@link TransportContext} for tests: config bound by the plugin's schema as the kernel
 * binds it, the system clock, a one-thread scheduler. Close it to stop the scheduler.
 */
final class TestTransportContext implements TransportContext, AutoCloseable {
    private final String nodeId;
    private final Config config;
    private final RequestHandler requests;
    private final Path dataDir;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "resp-test-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private final Scheduler scheduler = new Scheduler() {
        @Override
        public void execute(Runnable task) {
            timers.execute(task);
        }

        @Override
        public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
            var future = timers.schedule(task, delay, unit);
            return () -> future.cancel(false);
        }
    };

    TestTransportContext(String nodeId, Config config, RequestHandler requests, Path dataDir) {
        this.nodeId = nodeId;
        this.config = config;
        this.requests = requests;
        this.dataDir = dataDir;
    }

    /** Every latency the transport reports. */
    final RecordedLatencies latencies = new RecordedLatencies();

    @Override
    public RequestHandler requests() {
        return requests;
    }

    @Override
    public LatencyRecorder latency() {
        return latencies;
    }

    @Override
    public String nodeId() {
        return nodeId;
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
        return scheduler;
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
