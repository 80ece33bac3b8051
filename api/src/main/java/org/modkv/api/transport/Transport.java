package org.modkv.api.transport;

import java.util.List;
import java.util.Optional;

/** A running transport. Thread-safe. */
public interface Transport extends AutoCloseable {

    /** Where it listens, for the ready line. */
    List<Endpoint> endpoints();

    /** The peer network, if this transport carries messages between nodes. */
    default Optional<PeerNetwork> peerNetwork() {
        return Optional.empty();
    }

    /** Stops listening and closes connections; waits for them to close. */
    @Override
    void close();
}
