package org.modkv.testkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.modkv.api.Plugin;
import org.modkv.api.config.Config;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.TransportContext;
import org.modkv.testkit.transport.RecordedLatencies;

/**
 * A {@link TransportContext} for tests of a transport plugin: the kernel's side of
 * {@code TransportProvider.start}. Config is bound through the plugin's own schema as the
 * kernel binds it; requests go to the handler the test chooses (usually an
 * {@link org.modkv.testkit.transport.InMemoryRequestHandler}); every latency the transport
 * reports is kept in {@link #latencies()}. The clock is the system's; the scheduler is a
 * {@link ThreadScheduler}, started on first use. Transports keep no files, so there is no data
 * directory: {@link #dataDir()} throws.
 *
 * <pre>{@code
 * InMemoryRequestHandler kernel = new InMemoryRequestHandler("n1");
 * try (TestTransportContext context = TestTransportContext.forPlugin(provider, "n1",
 *         Map.of("tcp.listen", "127.0.0.1:0"), kernel);
 *      Transport transport = provider.start(context)) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Close it when the test ends, to stop the scheduler if one was started. Thread-safe.
 */
public final class TestTransportContext implements TransportContext, AutoCloseable {
    private final String nodeId;
    private final Config config;
    private final RequestHandler requests;
    private final RecordedLatencies latencies = new RecordedLatencies();
    private ThreadScheduler scheduler;
    private boolean closed;

    private TestTransportContext(String nodeId, Config config, RequestHandler requests) {
        this.nodeId = nodeId;
        this.config = config;
        this.requests = requests;
    }

    /**
     * A context for {@code plugin} on node {@code nodeId}: {@code config} (raw values) bound
     * through {@code plugin.configSchema()}, requests to {@code requests}.
     *
     * @throws org.modkv.api.config.ConfigException if a value is unknown to the schema or not allowed
     */
    public static TestTransportContext forPlugin(Plugin plugin, String nodeId, Map<String, String> config,
                                                 RequestHandler requests) {
        Objects.requireNonNull(plugin, "plugin");
        return new TestTransportContext(Objects.requireNonNull(nodeId, "nodeId"),
                plugin.configSchema().bind(Objects.requireNonNull(config, "config")),
                Objects.requireNonNull(requests, "requests"));
    }

    /** Every latency the transport reported, in order. */
    public RecordedLatencies latencies() {
        return latencies;
    }

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

    /** Always throws: transports keep no files, and this context has no data directory. */
    @Override
    public Path dataDir() {
        throw new UnsupportedOperationException("a TestTransportContext has no data directory: transports keep no files");
    }

    @Override
    public Clock clock() {
        return Clock.system();
    }

    @Override
    public synchronized Scheduler scheduler() {
        if (closed) {
            throw new IllegalStateException("the test transport context of " + nodeId + " is closed");
        }
        if (scheduler == null) {
            scheduler = new ThreadScheduler("modkv-test-scheduler-" + nodeId);
        }
        return scheduler;
    }

    /** Stops the scheduler, if it was started. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Override
    public String toString() {
        return "TestTransportContext(" + nodeId + ")";
    }
}
