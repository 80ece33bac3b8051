package org.modkv.node.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.modkv.api.config.HostPort;
import org.modkv.api.transport.Endpoint;
import org.modkv.node.pipeline.RequestPipeline;

/**
 * Serves {@code GET /metrics} in Prometheus text format (config {@code metrics.listen}), on
 * the JDK's built-in HTTP server: one scrape every few seconds needs no Netty pipeline.
 */
final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Endpoint endpoint;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        this.endpoint = new Endpoint("metrics", server.getAddress());
    }

    static MetricsEndpoint start(HostPort listen, RequestPipeline pipeline) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 16);
        } catch (IOException e) {
            throw new IOException("cannot listen on metrics.listen=" + listen + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "modkv-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                    reply(exchange, 404, "not found; metrics are at /metrics\n");
                } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    reply(exchange, 405, "only GET is allowed\n");
                } else {
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    reply(exchange, 200, PrometheusText.render(pipeline.stats()));
                }
            }
        });
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
