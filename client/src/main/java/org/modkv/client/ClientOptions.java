package org.modkv.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.modkv.protocol.FrameFormat;

/**
 * How a {@link ModkvClient} connects.
 *
 * @param addresses {@code host:port} of nodes, tried in order until one connects
 * @param connectTimeout how long one connection attempt (TCP connect plus handshake) may take
 * @param requestTimeout how long a request may wait for its reply before it fails with
 *     {@code TIMEOUT}
 * @param maxFrameBytes the largest reply frame this client accepts (the length prefix not
 *     counted); requests are limited by the server's own max, learned in the handshake
 * @param connections how many connections the client opens to the node it connects to
 *     (1..{@value #MAX_CONNECTIONS}); requests take turns over them
 * @param ioThreads how many I/O threads serve those connections (1..{@value #MAX_IO_THREADS},
 *     and never more than {@code connections}); each connection stays on one thread
 * @param ioTransport the I/O backend of those threads; {@link IoTransport#AUTO} (the default)
 *     takes io_uring or epoll where they run, else NIO
 */
public record ClientOptions(List<String> addresses, Duration connectTimeout, Duration requestTimeout,
                            int maxFrameBytes, int connections, int ioThreads, IoTransport ioTransport) {
    /** Connect timeout of {@link #defaults}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Request timeout of {@link #defaults}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** The most connections one client may open. */
    public static final int MAX_CONNECTIONS = 1024;
    /** The most I/O threads one client may start. */
    public static final int MAX_IO_THREADS = 64;

    /** @throws IllegalArgumentException naming the bad option and what is allowed */
    public ClientOptions {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(ioTransport, "ioTransport");
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address given; write host:port, e.g. 127.0.0.1:7379");
        }
        addresses.forEach(ServerAddress::parse);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (maxFrameBytes < FrameFormat.MIN_MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is too small; allowed "
                    + FrameFormat.MIN_MAX_FRAME_BYTES + ".." + Integer.MAX_VALUE);
        }
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be 1.." + MAX_CONNECTIONS + ", was " + connections);
        }
        if (ioThreads < 1 || ioThreads > MAX_IO_THREADS) {
            throw new IllegalArgumentException("ioThreads must be 1.." + MAX_IO_THREADS + ", was " + ioThreads);
        }
        if (ioThreads > connections) {
            throw new IllegalArgumentException("ioThreads (" + ioThreads + ") must not exceed connections ("
                    + connections + "): a thread without a connection would have nothing to do");
        }
    }

    /**
     * Default options for {@code hostPort}, which may list several nodes separated by commas
     * ({@code "10.0.0.1:7379,10.0.0.2:7379"}): connect timeout 5 s, request timeout 30 s,
     * max frame 16 MiB, one connection on one I/O thread, I/O backend {@link IoTransport#AUTO}.
     */
    public static ClientOptions defaults(String hostPort) {
        List<String> addresses = Arrays.stream(hostPort.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        return new ClientOptions(addresses, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                FrameFormat.DEFAULT_MAX_FRAME_BYTES, 1, 1, IoTransport.AUTO);
    }

    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(addresses, timeout, requestTimeout, maxFrameBytes, connections, ioThreads, ioTransport);
    }

    public ClientOptions withRequestTimeout(Duration timeout) {
        return new ClientOptions(addresses, connectTimeout, timeout, maxFrameBytes, connections, ioThreads, ioTransport);
    }

    public ClientOptions withMaxFrameBytes(int bytes) {
        return new ClientOptions(addresses, connectTimeout, requestTimeout, bytes, connections, ioThreads, ioTransport);
    }

    /**
     * {@code count} connections served by {@code threads} I/O threads. Many threads sharing a
     * client gain from a few connections (each carries many requests at once); one thread per
     * core is enough to serve any number of connections.
     */
    public ClientOptions withConnections(int count, int threads) {
        return new ClientOptions(addresses, connectTimeout, requestTimeout, maxFrameBytes, count, threads, ioTransport);
    }

    /**
     * The I/O backend of the client's threads. A backend this machine cannot run makes
     * {@link ModkvClient#connect(ClientOptions)} fail with the reason.
     */
    public ClientOptions withIoTransport(IoTransport transport) {
        return new ClientOptions(addresses, connectTimeout, requestTimeout, maxFrameBytes, connections, ioThreads,
                transport);
    }
}
