package org.modkv.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.transport.PeerUnreachableException;
import org.modkv.api.config.HostPort;
import org.modkv.protocol.wire.PeerFrame;

/**
 * This node's way to one peer: at most one {@link PeerConnection} at a time, opened on first
 * use and again on the first use after it ended, but not sooner than a backoff after the
 * previous attempt began and after the last failed one ended (100 ms, doubling with each failed
 * attempt in a row up to 500 ms); uses in between fail at once. Nothing runs on
 * its own: a peer nobody talks to is never dialled.
 *
 * <p>A host name in {@code tcp.peers} is looked up again on every connect attempt (so a peer
 * that moved is found), with Netty's default resolver, which asks the JDK on the event loop:
 * give IP addresses, or names the local resolver answers at once ({@code /etc/hosts}).
 *
 * <p>{@link #send} and {@link #request} may be called from any thread: they serialise the frame
 * on the calling thread, then hand it to this peer's event loop, which owns all the state
 * below, so nothing is locked and frames to one peer leave in the order they were given.
 */
final class OutboundPeer {
    private static final System.Logger LOG = System.getLogger(OutboundPeer.class.getName());
    static final int CONNECT_TIMEOUT_MS = 1_000;
    static final long MIN_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 500;
    /** At most one warning per peer per this long; the rest go to DEBUG. */
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String id;
    private final HostPort address;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final PeerSettings settings;
    private final PeerCounters counters;
    /** Request ids: unique on every connection to this peer (they never repeat at all). */
    private final AtomicLong requestIds = new AtomicLong();

    // Event loop only:
    private PeerConnection connection;
    private long nextAttemptNanos = System.nanoTime();
    private long backoffMs = MIN_BACKOFF_MS;
    private String lastFailure = "not connected yet";
    private long nextWarningNanos = System.nanoTime();
    private boolean closed;

    /** @param bootstrap set up for peer connections on {@code loop} */
    OutboundPeer(String id, HostPort address, EventLoop loop, Bootstrap bootstrap, PeerSettings settings,
                 PeerCounters counters) {
        this.id = id;
        this.address = address;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.settings = settings;
        this.counters = counters;
    }

    String id() {
        return id;
    }

    /** {@code n2 (127.0.0.1:7390)}. */
    String describe() {
        return id + " (" + address + ")";
    }

    /** Best effort: dropped (and counted) when the peer cannot be reached or does not keep up. */
    void send(String channel, byte[] message) {
        PeerFrame frame = PeerFrames.send(channel, message);
        int size = PeerFrames.size(frame);
        if (size > settings.maxFrameBytes()) {
            counters.sendsDropped.increment();
            LOG.log(Level.WARNING, () -> "dropping a message of " + size + " bytes to peer " + id + " on channel "
                    + channel + ": it exceeds tcp.peer.max.frame.bytes=" + settings.maxFrameBytes());
            return;
        }
        ByteBuf bytes = PeerFrames.encode(frame);
        onLoop(() -> {
            String problem = closed ? "node " + settings.localId() + " is shutting down" : null;
            PeerConnection target = problem == null ? usable() : null;
            if (target == null) {
                bytes.release();
            } else {
                problem = target.offer(bytes);
            }
            if (target == null || problem != null) {
                counters.sendsDropped.increment();
                String why = problem != null ? problem : unreachable();
                LOG.log(Level.TRACE, () -> "dropped a message to peer " + id + " on channel " + channel + ": " + why);
            }
        }, () -> {
            bytes.release();
            counters.sendsDropped.increment();
        });
    }

    /** Sends a REQUEST; the future completes on this peer's event loop. */
    CompletableFuture<byte[]> request(String channel, byte[] message, long timeoutMillis) {
        long requestId = requestIds.incrementAndGet();
        PeerFrame frame = PeerFrames.request(requestId, channel, message);
        int size = PeerFrames.size(frame);
        if (size > settings.maxFrameBytes()) {
            counters.requestsFailed.increment();
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.TOO_LARGE, "request of " + size
                    + " bytes to peer " + id + " on channel " + channel + " exceeds tcp.peer.max.frame.bytes="
                    + settings.maxFrameBytes()));
        }
        ByteBuf bytes = PeerFrames.encode(frame);
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        onLoop(() -> {
            PeerConnection target = closed ? null : usable();
            if (target == null) {
                bytes.release();
                counters.requestsFailed.increment();
                result.completeExceptionally(closed ? shuttingDown(channel) : new PeerUnreachableException(unreachable()));
                return;
            }
            target.request(requestId, channel, bytes, result, timeoutMillis);
        }, () -> {
            bytes.release();
            counters.requestsFailed.increment();
            result.completeExceptionally(shuttingDown(channel));
        });
        return result;
    }

    /**
     * Closes the connection; what waits fails with {@code SHUTTING_DOWN}. Returns once done, or
     * at {@code deadline} ({@link System#nanoTime()}); with {@code wait} false (the caller is an
     * event loop of this transport) it only starts it.
     *
     * @return whether the connection is closed
     */
    boolean close(boolean wait, long deadline) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> {
            closed = true;
            PeerConnection current = connection;
            connection = null;
            if (current != null) {
                String reason = "node " + settings.localId() + " is shutting down";
                current.end(ErrorCode.SHUTTING_DOWN, reason);
                PeerFrames.close(current.channel(), reason);
            }
            done.complete(null);
        }, () -> done.complete(null));
        if (!wait) {
            return done.isDone();
        }
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, () -> "closing the connection to peer " + describe() + " did not finish: " + e);
        }
        return false;
    }

    /** The current connection, or a new one if the backoff allows; {@code null} if neither. Event loop only. */
    private PeerConnection usable() {
        if (connection != null) {
            return connection;
        }
        long now = System.nanoTime();
        if (now - nextAttemptNanos < 0) {
            return null;
        }
        nextAttemptNanos = now + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        PeerConnection fresh = new PeerConnection(this, loop, counters);
        connection = fresh;
        ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("frames", new PeerFrameDecoder(settings.maxFrameBytes(), counters));
                ch.pipeline().addLast("peer", fresh);
            }
        }).connect(address.host(), address.port()); // a host name is resolved here, by the JDK: see the class doc
        fresh.attach(connecting.channel());
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                connected(fresh);
            } else {
                String reason = "cannot connect: " + describe(f.cause());
                PeerFrames.close(fresh.channel(), reason);
                ended(fresh, reason);
            }
        });
        // Some backends close the channel before they fail the connect: then the cause is on the connect future.
        connecting.channel().closeFuture().addListener(f -> ended(fresh, connecting.cause() != null
                ? "cannot connect: " + describe(connecting.cause())
                : PeerFrames.closeReason(fresh.channel(), fresh.wasOpen() ? "the connection was closed by the peer"
                        : "the connection closed while it was being opened")));
        return connection; // null if the attempt failed at once
    }

    private void connected(PeerConnection fresh) {
        if (fresh != connection) {
            PeerFrames.close(fresh.channel(), "no longer wanted");
            return;
        }
        backoffMs = MIN_BACKOFF_MS;
        LOG.log(Level.DEBUG, () -> "connected to peer " + describe());
        fresh.connected(settings.localId());
    }

    private void ended(PeerConnection ending, String reason) {
        boolean wasCurrent = ending == connection;
        if (wasCurrent) {
            connection = null;
        }
        ending.end(closed ? ErrorCode.SHUTTING_DOWN : ErrorCode.UNAVAILABLE,
                closed ? "node " + settings.localId() + " is shutting down" : reason);
        if (!wasCurrent || closed) {
            return;
        }
        lastFailure = reason;
        if (!ending.wasOpen() || ending.refused()) {
            counters.connectFailures.increment();
            nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            warn("peer " + describe() + " is unreachable: " + reason);
        } else {
            warn("connection to peer " + describe() + " lost: " + reason);
        }
    }

    /** Why there is no connection now, for a failed request. */
    private String unreachable() {
        long waitMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextAttemptNanos - System.nanoTime()));
        return "peer " + describe() + " is unreachable: " + lastFailure + " (next connect attempt in " + waitMs
                + " ms at the earliest)";
    }

    private ModkvException shuttingDown(String channel) {
        return new ModkvException(ErrorCode.SHUTTING_DOWN, "node " + settings.localId()
                + " is shutting down; request to peer " + id + " on channel " + channel + " abandoned");
    }

    private void warn(String message) {
        long now = System.nanoTime();
        if (now - nextWarningNanos >= 0) {
            nextWarningNanos = now + WARNING_INTERVAL_NANOS;
            LOG.log(Level.WARNING, message);
        } else {
            LOG.log(Level.DEBUG, message);
        }
    }

    private void onLoop(Runnable task, Runnable rejected) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            rejected.run(); // the event loops are shutting down
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown reason";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
