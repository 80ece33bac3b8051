package org.modkv.transport.tcp;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.modkv.api.transport.PeerHandler;

/** Which {@link PeerHandler} takes each channel's messages: one per channel, for the node's lifetime. Thread-safe. */
final class PeerHandlers {
    private final ConcurrentMap<String, PeerHandler> byChannel = new ConcurrentHashMap<>();

    /** @throws IllegalStateException if {@code channel} already has a handler */
    void register(String channel, PeerHandler handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        PeerHandler previous = byChannel.putIfAbsent(channel, handler);
        if (previous != null) {
            throw new IllegalStateException("peer channel '" + channel + "' already has a handler ("
                    + previous + "); one handler per channel");
        }
    }

    /** The handler of {@code channel}, or {@code null}. */
    PeerHandler get(String channel) {
        return byChannel.get(channel);
    }
}
