package org.modkv.api.transport;

import org.modkv.api.PluginContext;

/** What a transport works with. */
public interface TransportContext extends PluginContext {
    /** Where client requests go. */
    RequestHandler requests();

    /**
     * Where to report each served request's latency (received to response written). A node
     * always supplies a real recorder; the default, for contexts built outside a node,
     * discards.
     */
    default LatencyRecorder latency() {
        return LatencyRecorder.discard();
    }
}
