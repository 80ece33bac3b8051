package org.modkv.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.transport.PeerUnreachableException;
import org.modkv.protocol.wire.PeerFrame;

/**
 * One connection this node opened to a peer, from connect to close, and the requests waiting
 * for an answer on it. Frames offered while it connects wait in a short queue and follow the
 * HELLO once it is up. When it ends, every waiting request fails at once.
 *
 * <p>Confined to the connection's event loop (the one of its {@link OutboundPeer}): every
 * method runs there, so nothing is locked. Request futures complete there too.
 */
final class PeerConnection extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(PeerConnection.class.getName());
    /** Frames that may wait for the connection to open; more are refused. */
    static final int MAX_QUEUED_FRAMES = 1024;

    private final OutboundPeer peer;
    private final EventLoop loop;
    private final PeerCounters counters;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    private Channel channel;
    /** Connected, HELLO written. */
    private boolean open;
    private boolean ended;
    /** The peer sent an ERROR about the connection (it refused our HELLO). */
    private boolean refused;
    private boolean flushScheduled;

    /** A request that waits for its REPLY or ERROR. */
    private record Pending(String channel, CompletableFuture<byte[]> result, long timeoutMillis,
                           ScheduledFuture<?> timeout) {
    }

    PeerConnection(OutboundPeer peer, EventLoop loop, PeerCounters counters) {
        this.peer = peer;
        this.loop = loop;
        this.counters = counters;
    }

    void attach(Channel channel) {
        this.channel = channel;
        PeerFrames.label(channel, "peer connection to " + peer.describe());
    }

    Channel channel() {
        return channel;
    }

    boolean wasOpen() {
        return open;
    }

    boolean refused() {
        return refused;
    }

    /** The TCP connection is up: says HELLO, then writes what waited. */
    void connected(String localId) {
        open = true;
        counters.outboundOpen.incrementAndGet();
        write(PeerFrames.encode(PeerFrames.hello(localId)));
        while (!queued.isEmpty()) {
            write(queued.poll());
        }
        channel.flush();
    }

    /**
     * Takes a frame to write (ownership passes, even when refused).
     *
     * @return {@code null} if it was written or queued, else why not
     */
    String offer(ByteBuf frame) {
        String problem = null;
        if (ended) {
            problem = "the connection closed";
        } else if (!open) {
            if (queued.size() >= MAX_QUEUED_FRAMES) {
                problem = MAX_QUEUED_FRAMES + " messages already wait for the connection to open";
            } else {
                queued.add(frame);
                return null;
            }
        } else if (!channel.isWritable()) {
            problem = "it does not keep up (" + channel.bytesBeforeWritable()
                    + " bytes must drain from its send buffer first)";
        }
        if (problem != null) {
            frame.release();
            return problem;
        }
        write(frame);
        if (!flushScheduled) {
            // One flush for every frame offered in this pass of the event loop.
            flushScheduled = true;
            loop.execute(this::flush);
        }
        return null;
    }

    /** Sends a REQUEST frame and waits for its answer until {@code timeoutMillis}. */
    void request(long id, String channelName, ByteBuf frame, CompletableFuture<byte[]> result, long timeoutMillis) {
        ScheduledFuture<?> timeout = loop.schedule(() -> timedOut(id), timeoutMillis,
                TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(channelName, result, timeoutMillis, timeout));
        String problem = offer(frame);
        if (problem != null) {
            fail(id, new PeerUnreachableException("peer " + peer.describe() + " cannot take the request on channel "
                    + channelName + ": " + problem));
        }
    }

    /** The connection ended ({@code reason}): every waiting request fails with {@code code}. Idempotent. */
    void end(ErrorCode code, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        if (open) {
            counters.outboundOpen.decrementAndGet();
        }
        while (!queued.isEmpty()) {
            queued.poll().release();
        }
        for (Map.Entry<Long, Pending> entry : Map.copyOf(pending).entrySet()) {
            String channelName = entry.getValue().channel();
            ModkvException why;
            if (code == ErrorCode.SHUTTING_DOWN) {
                why = new ModkvException(code, reason + "; request to peer " + peer.id() + " on channel " + channelName
                        + " abandoned");
            } else if (!open) {
                // Never connected: the request waited in the queue and was never written.
                why = new PeerUnreachableException("peer " + peer.describe() + " did not answer on channel " + channelName
                        + ": " + reason);
            } else {
                why = new ModkvException(code, "peer " + peer.describe() + " did not answer on channel " + channelName
                        + ": " + reason);
            }
            fail(entry.getKey(), why);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PeerFrame frame = (PeerFrame) msg;
        switch (frame.getKind()) {
            case REPLY -> {
                Pending waiting = take(frame.getRequestId());
                if (waiting != null) {
                    waiting.result().complete(frame.getPayload().toByteArray());
                }
            }
            case ERROR -> {
                if (frame.getRequestId() == 0) {
                    refused = true;
                    String reason = "refused by node " + peer.id() + ": " + frame.getErrorMessage();
                    LOG.log(Level.DEBUG, () -> PeerFrames.label(ctx.channel()) + " " + reason); // OutboundPeer warns
                    PeerFrames.close(ctx.channel(), reason);
                    return;
                }
                Pending waiting = take(frame.getRequestId());
                if (waiting != null) {
                    waiting.result().completeExceptionally(PeerFrames.exception(frame));
                }
            }
            default -> {
                String reason = "unexpected " + frame.getKind() + " frame from the node we connected to";
                LOG.log(Level.WARNING, () -> "closing " + PeerFrames.label(ctx.channel()) + ": " + reason);
                PeerFrames.close(ctx.channel(), reason);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(cause instanceof IOException ? Level.DEBUG : Level.WARNING,
                () -> "closing " + PeerFrames.label(ctx.channel()) + ": " + cause);
        PeerFrames.close(ctx.channel(), String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause));
    }

    private void write(ByteBuf frame) {
        counters.framesSent.increment();
        channel.write(frame); // a failed write closes the connection, which fails what waits
    }

    private void flush() {
        flushScheduled = false;
        channel.flush();
    }

    private void timedOut(long id) {
        Pending waiting = pending.remove(id);
        if (waiting != null) {
            counters.requestsTimedOut.increment();
            waiting.result().completeExceptionally(new ModkvException(ErrorCode.UNAVAILABLE, "peer " + peer.id()
                    + " did not answer on channel " + waiting.channel() + " within "
                    + waiting.timeoutMillis() + " ms"));
        }
    }

    private Pending take(long id) {
        Pending waiting = pending.remove(id);
        if (waiting != null) {
            waiting.timeout().cancel(false);
        }
        return waiting;
    }

    private void fail(long id, ModkvException failure) {
        Pending waiting = take(id);
        if (waiting != null) {
            counters.requestsFailed.increment();
            waiting.result().completeExceptionally(failure);
        }
    }
}
