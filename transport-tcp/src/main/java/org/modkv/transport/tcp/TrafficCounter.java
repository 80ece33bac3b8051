package org.modkv.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First handler of every connection's pipeline: counts the bytes read from and written to the
 * socket into {@link TcpCounters}. Shared by all connections; thread-safe.
 */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {
    private final TcpCounters counters;

    TrafficCounter(TcpCounters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf data) {
            counters.bytesReceived.add(data.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf data) {
            counters.bytesSent.add(data.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
