package org.modkv.bench;

import java.io.IOException;
import java.util.Map;
import org.modkv.api.transport.RequestLimits;
import org.modkv.api.transport.Transport;
import org.modkv.testkit.TestTransportContext;
import org.modkv.testkit.transport.InMemoryRequestHandler;
import org.modkv.transport.tcp.TcpTransportProvider;

/**
 * The real {@code tcp} transport in front of testkit's {@link InMemoryRequestHandler}: a modkv
 * node as the client sees it, without storage, replication or the kernel.
 */
final class InMemoryModkvNode implements AutoCloseable {
    private static final RequestLimits LIMITS = new RequestLimits(256, 1024 * 1024, 4 * 1024 * 1024, 1000);

    private final InMemoryRequestHandler handler = new InMemoryRequestHandler("bench-test-node", LIMITS);
    private final TestTransportContext context;
    private final Transport transport;

    InMemoryModkvNode() throws IOException {
        TcpTransportProvider provider = new TcpTransportProvider();
        context = TestTransportContext.forPlugin(provider, "bench-test-node", Map.of("tcp.listen", "127.0.0.1:0"),
                handler);
        transport = provider.start(context);
    }

    String hostPort() {
        return transport.endpoints().get(0).hostPort();
    }

    long keys() {
        return handler.status().keys();
    }

    @Override
    public void close() {
        transport.close();
        context.close();
    }
}
