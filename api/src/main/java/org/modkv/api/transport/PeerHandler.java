package org.modkv.api.transport;

import java.util.concurrent.CompletableFuture;

/** Handles messages that arrive on one channel of a {@link PeerNetwork}. */
@FunctionalInterface
public interface PeerHandler {
    /**
     * Called on a network thread; must not block.
     *
     * @return the reply for a {@link PeerNetwork#request}; ignored (may be {@code null})
     *     for a {@link PeerNetwork#send}
     */
    CompletableFuture<byte[]> handle(String fromPeer, byte[] message);
}
