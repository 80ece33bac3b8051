package org.modkv.node.runtime;

import org.modkv.api.PluginContext;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.TransportContext;

/** A transport's context: the plugin basics, the request pipeline and the node's latency histograms. */
final class KernelTransportContext extends DelegatingPluginContext implements TransportContext {
    private final RequestHandler requests;
    private final LatencyRecorder latency;

    KernelTransportContext(PluginContext base, RequestHandler requests, LatencyRecorder latency) {
        super(base);
        this.requests = requests;
        this.latency = latency;
    }

    @Override
    public RequestHandler requests() {
        return requests;
    }

    @Override
    public LatencyRecorder latency() {
        return latency;
    }
}
