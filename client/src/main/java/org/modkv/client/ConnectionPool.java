package org.modkv.client;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections of one {@link ModkvClient}, all to the same node, and which one the next
 * request takes: they take turns, skipping connections that are gone while any is left.
 * Thread-safe; the list never changes after the client is connected.
 */
final class ConnectionPool {
    private final List<ClientConnection> connections;
    private final AtomicInteger turn = new AtomicInteger();

    ConnectionPool(List<ClientConnection> connections) {
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one connection");
        }
        this.connections = List.copyOf(connections);
    }

    /**
     * The connection for the next request: the next open one in turn, or, when every one is
     * gone, one of them (a request on it fails with the reason it is gone). A request made on
     * one of the client's I/O threads (in a completion callback) takes a connection of that
     * thread when one is open, so it is written at once rather than handed to another thread.
     */
    ClientConnection next() {
        int size = connections.size();
        if (size == 1) {
            return connections.get(0);
        }
        int start = Math.floorMod(turn.getAndIncrement(), size);
        if (Thread.currentThread() instanceof FastThreadLocalThread) {
            for (int i = 0; i < size; i++) {
                ClientConnection candidate = connections.get((start + i) % size);
                if (candidate.inEventLoop() && candidate.isOpen()) {
                    return candidate;
                }
            }
        }
        for (int i = 0; i < size; i++) {
            ClientConnection candidate = connections.get((start + i) % size);
            if (candidate.isOpen()) {
                return candidate;
            }
        }
        return connections.get(start);
    }

    /** The first connection: its handshake stands for the node's. */
    ClientConnection first() {
        return connections.get(0);
    }

    /** Whether the current thread is the I/O thread of any of the connections. */
    boolean inEventLoop() {
        for (ClientConnection connection : connections) {
            if (connection.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** How many connections are still open. */
    int openCount() {
        int open = 0;
        for (ClientConnection connection : connections) {
            if (connection.isOpen()) {
                open++;
            }
        }
        return open;
    }

    /** Closes every connection; pending calls fail with {@code CLOSED}. Does not wait. */
    List<Future<Void>> close() {
        List<Future<Void>> closing = new ArrayList<>(connections.size());
        for (ClientConnection connection : connections) {
            closing.add(connection.close());
        }
        return closing;
    }
}
