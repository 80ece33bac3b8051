package org.modkv.transport.tcp;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.modkv.api.config.Config;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.TransportContext;
import org.modkv.testkit.transport.RecordedLatencies;

/** The kernel's side of a transport start, for tests: config bound through the plugin's own schema. */
final class TestTransportContext implements TransportContext {
    private final String nodeId;
    private final Config config;
    private final RequestHandler requests;

    /** {@code settings} are raw {@code tcp.*} values; {@code tcp.listen} defaults to a free port. */
    TestTransportContext(Map<String, String> settings, RequestHandler requests) {
        this("test-node", settings, requests);
    }

    /** As {@link #TestTransportContext(Map, RequestHandler)}, for the node {@code nodeId}. */
    TestTransportContext(String nodeId, Map<String, String> settings, RequestHandler requests) {
        this.nodeId = nodeId;
        Map<String, String> withPort = new java.util.HashMap<>(settings);
        withPort.putIfAbsent("tcp.listen", "127.0.0.1:0");
        this.config = new TcpTransportProvider().configSchema().bind(withPort);
        this.requests = requests;
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
        throw new UnsupportedOperationException("the tcp transport keeps no files");
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
                throw new UnsupportedOperationException("the tcp transport schedules nothing");
            }

            @Override
            public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
                throw new UnsupportedOperationException("the tcp transport schedules nothing");
            }
        };
    }
}
