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

    /** Stops listening and closes connections; waits for them to close. Idempotent. */
    @Override
    void close();
}
