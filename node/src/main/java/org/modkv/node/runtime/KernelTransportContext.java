package org.modkv.node.runtime;

import org.modkv.api.PluginContext;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.TransportContext;

/** A transport's context: the plugin basics plus the request pipeline. */
final class KernelTransportContext extends DelegatingPluginContext implements TransportContext {
    private final RequestHandler requests;

    KernelTransportContext(PluginContext base, RequestHandler requests) {
        super(base);
        this.requests = requests;
    }

    @Override
    public RequestHandler requests() {
        return requests;
    }
}
