package org.modkv.api.transport;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/** The {@link PeerNetwork} of a node without peers. */
record NoPeers(String localId) implements PeerNetwork {

    @Override
    public Set<String> peerIds() {
        return Set.of();
    }

    @Override
    public void send(String peerId, String channel, byte[] message) {
        // No peers: nothing is delivered, as with a message lost on a real network.
    }

    @Override
    public CompletableFuture<byte[]> request(String peerId, String channel, byte[] message, long timeoutMillis) {
        return CompletableFuture.failedFuture(new ModkvException(ErrorCode.UNAVAILABLE,
                "no peer '" + peerId + "': this node runs without peers"));
    }

    @Override
    public void register(String channel, PeerHandler handler) {
        // Nothing will ever arrive.
    }
}
