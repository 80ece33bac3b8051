package org.modkv.node;

import java.util.List;
import java.util.Map;
import org.modkv.api.ApiVersion;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportContext;
import org.modkv.api.transport.TransportProvider;

/** A test transport that listens nowhere and hands its context to the test, which plays the transport. */
final class ProbeTransportProvider implements TransportProvider {
    private volatile TransportContext context;

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public Transport start(TransportContext context) {
        this.context = context;
        return new Transport() {
            @Override
            public List<Endpoint> endpoints() {
                return List.of();
            }

            @Override
            public Map<String, Object> stats() {
                return Map.of("bytes_received", 42L);
            }

            @Override
            public void close() {
            }
        };
    }

    TransportContext context() {
        return context;
    }
}
