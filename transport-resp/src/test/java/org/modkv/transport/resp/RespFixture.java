package org.modkv.transport.resp;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modkv.api.transport.Transport;
import org.modkv.testkit.TestTransportContext;
import org.modkv.testkit.transport.InMemoryRequestHandler;
import org.modkv.testkit.transport.RecordedLatencies;
import redis.clients.jedis.Jedis;

/**
 * A RESP transport started through its provider, as the kernel starts it, on 127.0.0.1 with a
 * free port, over an {@link InMemoryRequestHandler}.
 */
final class RespFixture implements AutoCloseable {
    final InMemoryRequestHandler kernel = new InMemoryRequestHandler("n1");
    final RespServer server;
    final int port;
    private final TestTransportContext context;

    private RespFixture(Map<String, String> config) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("resp.listen", "127.0.0.1:0");
        values.put("resp.io.threads", "1");
        values.putAll(config);
        RespTransportProvider provider = new RespTransportProvider();
        context = TestTransportContext.forPlugin(provider, "n1", values, kernel);
        Transport transport = provider.start(context);
        server = (RespServer) transport;
        port = transport.endpoints().get(0).address().getPort();
    }

    static RespFixture start() throws IOException {
        return new RespFixture(Map.of());
    }

    /** Starts with some {@code resp.*} keys set. */
    static RespFixture start(Map<String, String> config) throws IOException {
        return new RespFixture(config);
    }

    /** Every latency the transport reported to the node. */
    RecordedLatencies latencies() {
        return context.latencies();
    }

    Jedis jedis() {
        return new Jedis("127.0.0.1", port);
    }

    RawClient raw() throws IOException {
        return new RawClient(port);
    }

    /** The one open connection's figures, or empty while the server has not accepted it yet. */
    java.util.Optional<ConnectionStats> connection() throws InterruptedException {
        List<ConnectionStats> all = server.connectionStats();
        return all.size() == 1 ? java.util.Optional.of(all.get(0)) : java.util.Optional.empty();
    }

    /** The one open connection's figures; fails if there is not exactly one. */
    ConnectionStats onlyConnection() throws InterruptedException {
        List<ConnectionStats> all = server.connectionStats();
        if (all.size() != 1) {
            throw new AssertionError("expected one open connection, found " + all.size() + ": " + all);
        }
        return all.get(0);
    }

    @Override
    public void close() {
        server.close();
        context.close();
    }
}
