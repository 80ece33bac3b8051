package org.modkv.transport.tcp;

import java.util.HashMap;
import java.util.Map;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.RequestLimits;
import org.modkv.testkit.TestTransportContext;
import org.modkv.testkit.transport.InMemoryRequestHandler;

/** testkit's transport test context and handler, set up as this module's tests use them. */
final class TcpTestContexts {
    /** The handler's limits in these tests: small, so that tests can exceed them cheaply. */
    static final RequestLimits LIMITS = new RequestLimits(256, 64 * 1024, 256 * 1024, 100);

    private TcpTestContexts() {
    }

    /** A handler for node {@code test-node} with {@link #LIMITS}. */
    static InMemoryRequestHandler handler() {
        return new InMemoryRequestHandler("test-node", LIMITS);
    }

    /** {@code settings} are raw {@code tcp.*} values; {@code tcp.listen} defaults to a free port on 127.0.0.1. */
    static TestTransportContext context(Map<String, String> settings, RequestHandler requests) {
        return context("test-node", settings, requests);
    }

    /** As {@link #context(Map, RequestHandler)}, for the node {@code nodeId}. */
    static TestTransportContext context(String nodeId, Map<String, String> settings, RequestHandler requests) {
        Map<String, String> withPort = new HashMap<>(settings);
        withPort.putIfAbsent("tcp.listen", "127.0.0.1:0");
        return TestTransportContext.forPlugin(new TcpTransportProvider(), nodeId, withPort, requests);
    }
}
