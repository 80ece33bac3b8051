package org.modkv.transport.resp;

import java.nio.file.Path;
import java.util.Map;
import org.modkv.api.config.Config;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.TransportContext;
import org.modkv.testkit.TestPluginContext;
import org.modkv.testkit.transport.RecordedLatencies;

/**
 * A real {@link TransportContext} for tests: testkit's {@link TestPluginContext} (config bound by
 * the plugin's schema as the kernel binds it, the system clock, a scheduler thread) plus the
 * request handler and a latency recorder that keeps every record. Close it to stop the scheduler.
 */
final class TestTransportContext implements TransportContext, AutoCloseable {
    private final TestPluginContext base;
    private final RequestHandler requests;
    /** Every latency the transport reports. */
    final RecordedLatencies latencies = new RecordedLatencies();

    TestTransportContext(String nodeId, Map<String, String> config, RequestHandler requests, Path dataDir) {
        this.base = TestPluginContext.builder().nodeId(nodeId).schema(RespSettings.SCHEMA).config(config)
                .dataDir(dataDir).build();
        this.requests = requests;
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

    @Override
    public void close() {
        base.close();
    }
}
