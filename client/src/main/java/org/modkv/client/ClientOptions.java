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
 */
public record ClientOptions(List<String> addresses, Duration connectTimeout, Duration requestTimeout,
                            int maxFrameBytes) {
    /** Connect timeout of {@link #defaults}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Request timeout of {@link #defaults}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** @throws IllegalArgumentException naming the bad option and what is allowed */
    public ClientOptions {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
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
    }

    /**
     * Default options for {@code hostPort}, which may list several nodes separated by commas
     * ({@code "10.0.0.1:7379,10.0.0.2:7379"}): connect timeout 5 s, request timeout 30 s,
     * max frame 16 MiB.
     */
    public static ClientOptions defaults(String hostPort) {
        List<String> addresses = Arrays.stream(hostPort.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        return new ClientOptions(addresses, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                FrameFormat.DEFAULT_MAX_FRAME_BYTES);
    }

    public ClientOptions withConnectTimeout(Duration timeout) {
        return new ClientOptions(addresses, timeout, requestTimeout, maxFrameBytes);
    }

    public ClientOptions withRequestTimeout(Duration timeout) {
        return new ClientOptions(addresses, connectTimeout, timeout, maxFrameBytes);
    }

    public ClientOptions withMaxFrameBytes(int bytes) {
        return new ClientOptions(addresses, connectTimeout, requestTimeout, bytes);
    }
}
