package org.modkv.api.transport;

import org.modkv.api.PluginContext;

/**
 * What a transport works with: its config and data directory (as every plugin), the kernel's
 * {@link RequestHandler} for client requests and a {@link LatencyRecorder} for what it served.
 *
 * <p>Ownership and threading: the kernel owns the context and everything it returns, for the
 * node's lifetime; a transport must not close them. Every method may be called from any
 * thread and returns the same object each time.
 */
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
