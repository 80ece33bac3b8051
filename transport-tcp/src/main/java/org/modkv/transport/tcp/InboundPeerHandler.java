package org.modkv.transport.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.transport.PeerHandler;
import org.modkv.protocol.wire.PeerFrame;

/**
 * One connection another node opened to this node's {@code tcp.peer.listen}: after a HELLO from
 * a node of {@code tcp.peers}, SEND frames go to their channel's {@link PeerHandler} and REQUEST
 * frames too, their handler's reply going back on this connection as REPLY or ERROR.
 *
 * <p>Handlers run on this connection's event loop (so they must not block, as
 * {@link PeerHandler} says); replies are written from whichever thread completes them. The
 * connection stops reading while its replies cannot be written (the other node does not read),
 * so a slow reader cannot make this node buffer without bound.
 */
final class InboundPeerHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(InboundPeerHandler.class.getName());
    /** A connection that has not said HELLO by then is closed. */
    static final long HELLO_TIMEOUT_MS = 10_000;
    /** A refused connection is closed by then at the latest. */
    static final long LINGER_SECONDS = 5;

    private final PeerSettings settings;
    private final PeerHandlers handlers;
    private final PeerCounters counters;
    /** The sender, once its HELLO was accepted; event loop only. */
    private String peerId;
    private boolean refused;
    private ScheduledFuture<?> helloTimer;

    InboundPeerHandler(PeerSettings settings, PeerHandlers handlers, PeerCounters counters) {
        this.settings = settings;
        this.handlers = handlers;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counters.inboundOpen.incrementAndGet();
        Channel channel = ctx.channel();
        PeerFrames.label(channel, "peer connection from " + channel.remoteAddress());
        helloTimer = ctx.executor().schedule(() -> {
            if (peerId == null) {
                refuse(channel, "no HELLO within " + HELLO_TIMEOUT_MS + " ms");
            }
        }, HELLO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters.inboundOpen.decrementAndGet();
        if (helloTimer != null) {
            helloTimer.cancel(false);
        }
        if (peerId != null) {
            LOG.log(Level.DEBUG, () -> PeerFrames.label(ctx.channel()) + " closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PeerFrame frame = (PeerFrame) msg;
        Channel channel = ctx.channel();
        if (refused) {
            return;
        }
        if (peerId == null) {
            greet(channel, frame);
            return;
        }
        switch (frame.getKind()) {
            case SEND -> deliver(frame);
            case REQUEST -> serve(channel, frame);
            default -> refuse(channel, "unexpected " + frame.getKind() + " frame; a connecting node sends "
                    + "SEND and REQUEST frames only");
        }
    }

    private void greet(Channel channel, PeerFrame frame) {
        if (frame.getKind() != PeerFrame.Kind.HELLO) {
            refuse(channel, "the first frame must be HELLO with the sender's node id; got " + frame.getKind());
            return;
        }
        if (frame.getProtocolVersion() != PeerFrames.PROTOCOL_VERSION) {
            refuse(channel, "peer protocol version " + Integer.toUnsignedString(frame.getProtocolVersion())
                    + " not supported; node " + settings.localId() + " speaks " + PeerFrames.PROTOCOL_VERSION);
            return;
        }
        String id = frame.getSenderId();
        if (id.equals(settings.localId())) {
            refuse(channel, "HELLO names node " + id + ", which is this node itself");
            return;
        }
        if (!settings.peers().containsKey(id)) {
            refuse(channel, "node '" + id + "' is not in the tcp.peers of node " + settings.localId()
                    + " (known: " + settings.describePeers() + ")");
            return;
        }
        peerId = id;
        helloTimer.cancel(false);
        PeerFrames.label(channel, "peer connection from " + id + " (" + channel.remoteAddress() + ")");
        LOG.log(Level.DEBUG, () -> "accepted " + PeerFrames.label(channel));
    }

    private void deliver(PeerFrame frame) {
        String name = frame.getChannel();
        PeerHandler handler = handlers.get(name);
        if (handler == null) {
            LOG.log(Level.DEBUG, () -> "dropping a message from " + peerId + " on channel " + name
                    + ": no handler for channel " + name + " on node " + settings.localId());
            return;
        }
        try {
            handler.handle(peerId, frame.getPayload().toByteArray());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "handler for peer channel " + name + " failed on a message from " + peerId, e);
        }
    }

    private void serve(Channel channel, PeerFrame frame) {
        long id = frame.getRequestId();
        String name = frame.getChannel();
        PeerHandler handler = handlers.get(name);
        if (handler == null) {
            answer(channel, PeerFrames.error(id, ErrorCode.UNAVAILABLE,
                    "no handler for channel " + name + " on node " + settings.localId()));
            return;
        }
        CompletableFuture<byte[]> reply;
        try {
            reply = handler.handle(peerId, frame.getPayload().toByteArray());
        } catch (RuntimeException e) {
            answer(channel, failure(id, name, e));
            return;
        }
        if (reply == null) {
            answer(channel, PeerFrames.error(id, ErrorCode.INTERNAL, "handler for channel " + name + " on node "
                    + settings.localId() + " returned no reply to a request"));
            return;
        }
        reply.whenComplete((bytes, failure) -> answer(channel, failure != null ? failure(id, name, failure)
                : reply(id, name, bytes)));
    }

    private PeerFrame reply(long id, String name, byte[] bytes) {
        PeerFrame reply = PeerFrames.reply(id, bytes == null ? new byte[0] : bytes);
        int size = PeerFrames.size(reply);
        if (size > settings.maxFrameBytes()) {
            return PeerFrames.error(id, ErrorCode.TOO_LARGE, "reply of " + size + " bytes on channel " + name
                    + " from node " + settings.localId() + " exceeds tcp.peer.max.frame.bytes="
                    + settings.maxFrameBytes());
        }
        return reply;
    }

    private PeerFrame failure(long id, String name, Throwable failure) {
        PeerFrame error = PeerFrames.failure(id, failure, "handler for channel " + name + " on node "
                + settings.localId());
        if (!(PeerFrames.unwrap(failure) instanceof ModkvException)) {
            LOG.log(Level.WARNING, "handler for peer channel " + name + " failed on a request from " + peerId, failure);
        }
        return error;
    }

    /** Writes {@code frame}; from any thread. */
    private void answer(Channel channel, PeerFrame frame) {
        counters.framesSent.increment();
        channel.writeAndFlush(PeerFrames.encode(frame)); // fails quietly if the connection is gone
    }

    /**
     * Tells the other node why in an ERROR with request id 0 and ends the connection so that it
     * gets to read it: closing with its later frames unread would send a reset that can destroy
     * the ERROR. So: write, shut our output down, discard what still comes until the other node
     * closes (it does on reading the ERROR), and close for good after {@link #LINGER_SECONDS}.
     */
    private void refuse(Channel channel, String reason) {
        refused = true;
        counters.framesRejected.increment();
        LOG.log(Level.WARNING, () -> "refusing " + PeerFrames.label(channel) + ": " + reason);
        channel.config().setAutoRead(true);
        counters.framesSent.increment();
        channel.writeAndFlush(PeerFrames.encode(PeerFrames.error(0, ErrorCode.INVALID_REQUEST, reason)))
                .addListener(written -> {
                    if (!written.isSuccess() || !(channel instanceof SocketChannel socket)) {
                        channel.close();
                        return;
                    }
                    socket.shutdownOutput();
                    channel.eventLoop().schedule(() -> {
                        channel.close();
                    }, LINGER_SECONDS, TimeUnit.SECONDS);
                });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!refused) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Level level = cause instanceof IOException ? Level.DEBUG : Level.WARNING;
        LOG.log(level, () -> "closing " + PeerFrames.label(ctx.channel()) + ": " + cause);
        ctx.close();
    }
}
