package org.modkv.api.transport;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Messages between the nodes of a cluster, provided by a peer-capable transport (or by the
 * simulated network in {@code testkit}). Replication uses only this; it never opens sockets.
 * Delivery is best effort: messages may be lost, delayed, duplicated or reordered.
 * Thread-safe.
 */
public interface PeerNetwork {

    /** This node's id. */
    String localId();

    /** The other nodes' ids. */
    Set<String> peerIds();

    /** Sends without waiting for an answer; may be dropped silently. */
    void send(String peerId, String channel, byte[] message);

    /**
     * Sends and waits for the handler's reply. Fails with {@code UNAVAILABLE} when the peer
     * cannot be reached or does not answer within {@code timeoutMillis}: with a
     * {@link PeerUnreachableException} when the request was certainly not sent (so it is safe
     * to send again), with a plain {@code ModkvException} when the peer may have received it.
     */
    CompletableFuture<byte[]> request(String peerId, String channel, byte[] message, long timeoutMillis);

    /** Routes messages for {@code channel} to {@code handler}; one handler per channel. */
    void register(String channel, PeerHandler handler);

    /** A network with no peers, for a single node. */
    static PeerNetwork none(String localId) {
        return new NoPeers(localId);
    }
}
