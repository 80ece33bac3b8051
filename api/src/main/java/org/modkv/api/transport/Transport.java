package org.modkv.api.transport;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A running transport. Thread-safe. */
public interface Transport extends AutoCloseable {

    /** Where it listens, for the ready line. */
    List<Endpoint> endpoints();

    /** The peer network, if this transport carries messages between nodes. */
    default Optional<PeerNetwork> peerNetwork() {
        return Optional.empty();
    }

    /**
     * Figures about this transport (connections open, accepted, refused, requests, bytes...),
     * by name in a stable order; the kernel shows them in stats and metrics under the
     * transport's name. Values are {@link Number}s or {@link String}s.
     */
    default Map<String, Object> stats() {
        return Map.of();
    }

    /**
     * Whether the calling thread is one of this transport's own threads (an event loop or an
     * acceptor). The kernel never lets such a thread wait for the node to stop, because the stop
     * waits for these threads to close their connections. A transport that runs no threads of its
     * own keeps the default, {@code false}.
     */
    default boolean ownsCurrentThread() {
        return false;
    }

    /**
     * Stops listening and closes connections; idempotent. From any other thread it waits, for a
     * bounded time, for them to close. Called on one of its own threads
     * ({@link #ownsCurrentThread()}) it starts the same steps but does not wait, since that
     * thread has to return for them to finish. Holds no lock while it waits.
     */
    @Override
    void close();
}
