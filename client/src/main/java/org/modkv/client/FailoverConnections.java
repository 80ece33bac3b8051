package org.modkv.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.modkv.client.io.ClientIo;

/**
 * A client's connections and their failover: opens {@code options.connections()} connections to
 * the first address that takes them all, and once every one is lost, reopens them on the next
 * request, trying the other addresses first and the lost one last, at most once per
 * {@value #RECONNECT_BACKOFF_MS} ms when none answers. Owns the client's I/O threads.
 */
final class FailoverConnections {
    /** After a reconnect that found no address, requests fail at once for this long. */
    static final long RECONNECT_BACKOFF_MS = 200;

    private final EventLoopGroup group;
    private final ClientIo io;
    private final ClientOptions options;
    /** The current connections; replaced by a reconnect, under {@link #reconnecting}. */
    private volatile ConnectionPool connections;
    private volatile boolean closed;
    private final Object reconnecting = new Object();
    /** Index in the options' addresses of the node connected to. Guarded by {@link #reconnecting}. */
    private int addressIndex;
    /** No reconnect before this time. Guarded by {@link #reconnecting}. */
    private long nextReconnectNanos = System.nanoTime();

    private FailoverConnections(EventLoopGroup group, ClientIo io, ConnectionPool connections, int addressIndex,
                                ClientOptions options) {
        this.group = group;
        this.io = io;
        this.connections = connections;
        this.addressIndex = addressIndex;
        this.options = options;
    }

    /** See {@link ModkvClient#connect(ClientOptions)}. */
    static FailoverConnections open(ClientOptions options) {
        ClientIo io = ClientIo.choose(options.ioTransport());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.ioThreads(),
                new DefaultThreadFactory("modkv-client", true), io.handlerFactory());
        List<String> failures = new ArrayList<>();
        ModkvClientException last = null;
        for (int index = 0; index < options.addresses().size(); index++) {
            try {
                ConnectionPool pool = openPool(ServerAddress.parse(options.addresses().get(index)), options, group, io);
                return new FailoverConnections(group, io, pool, index, options);
            } catch (ModkvClientException e) {
                last = e;
                failures.add(e.getMessage());
            } catch (RuntimeException e) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (failures.size() == 1) {
            throw failures.get(0).equals(last.getMessage()) ? last
                    : new ModkvClientException(last.code(), failures.get(0), last.leaderId().orElse(null), last);
        }
        throw new ModkvClientException(last.code(), "cannot connect to any of " + options.addresses() + ": "
                + String.join("; ", failures), last);
    }

    /**
     * Opens {@code options.connections()} connections to {@code address}, or none: on a failure
     * it closes those it opened and throws, saying how far it got.
     */
    private static ConnectionPool openPool(ServerAddress address, ClientOptions options, EventLoopGroup group,
                                           ClientIo io) {
        List<ClientConnection> opened = new ArrayList<>(options.connections());
        try {
            while (opened.size() < options.connections()) {
                opened.add(ClientConnection.open(address, options, group, io.socketChannel()));
            }
            return new ConnectionPool(opened);
        } catch (ModkvClientException e) {
            opened.forEach(ClientConnection::close);
            if (opened.isEmpty()) {
                throw e;
            }
            throw new ModkvClientException(e.code(), e.getMessage() + " (after " + opened.size() + " of "
                    + options.connections() + " connections)", e.leaderId().orElse(null), e);
        } catch (RuntimeException e) {
            opened.forEach(ClientConnection::close);
            throw e;
        }
    }

    /** The connections for the next request: the current ones, or new ones when all are lost. */
    ConnectionPool pool() {
        ConnectionPool current = connections;
        if (current.openCount() > 0 || closed || current.inEventLoop()) {
            return current;
        }
        return reconnect(current);
    }

    /**
     * Replaces {@code lost} (every connection gone) by connections to the first address that
     * takes them all, trying the others before the lost one; returns {@code lost} if none does
     * (its requests then fail with the reason it was lost) or within the backoff.
     */
    private ConnectionPool reconnect(ConnectionPool lost) {
        synchronized (reconnecting) {
            if (connections != lost || closed || System.nanoTime() - nextReconnectNanos < 0) {
                return connections;
            }
            List<String> addresses = options.addresses();
            for (int step = 1; step <= addresses.size(); step++) {
                int index = (addressIndex + step) % addresses.size();
                try {
                    ConnectionPool fresh = openPool(ServerAddress.parse(addresses.get(index)), options, group, io);
                    lost.close();
                    connections = fresh;
                    addressIndex = index;
                    return fresh;
                } catch (ModkvClientException e) {
                    // try the next address
                }
            }
            nextReconnectNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECONNECT_BACKOFF_MS);
            return lost;
        }
    }

    /** The current connections, lost or not. */
    ConnectionPool current() {
        return connections;
    }

    ClientOptions options() {
        return options;
    }

    /** Closes the connections and releases the I/O threads; waits for both unless on an I/O thread. */
    void close() {
        ConnectionPool current;
        synchronized (reconnecting) {
            closed = true;
            current = connections;
        }
        boolean fromIoThread = current.inEventLoop();
        var closing = current.close();
        var terminated = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (!fromIoThread) {
            long deadline = System.nanoTime() + options.connectTimeout().toNanos();
            for (var connection : closing) {
                connection.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            terminated.awaitUninterruptibly(options.connectTimeout().toMillis());
        }
    }
}
