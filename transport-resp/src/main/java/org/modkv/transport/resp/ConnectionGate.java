package org.modkv.transport.resp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts open connections and turns away those over {@code resp.max.connections} with Redis'
 * {@code -ERR max number of clients reached}, before reading anything from them. An admitted
 * connection's gate removes itself from the pipeline; the count drops when a channel closes.
 * Shared by all connections; thread-safe.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ConnectionGate.class.getName());
    private static final byte[] REFUSAL = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    ConnectionGate(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Connections open now, refused ones still closing included. */
    long refused() {
        return refused.get();
    }

    int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        int now = open.incrementAndGet();
        channel.closeFuture().addListener(closed -> open.decrementAndGet());
        if (now > maxConnections) {
            // Turn autoRead off before the pipeline's head asks for the first read.
            channel.config().setAutoRead(false);
            long total = refused.incrementAndGet();
            if (total % 1000 == 1) { // the first of each thousand: a flood must not flood the log too
                LOG.log(Level.WARNING, () -> "refusing RESP client " + channel.remoteAddress()
                        + ": resp.max.connections=" + maxConnections + " reached (" + total + " refused so far)");
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }
}
