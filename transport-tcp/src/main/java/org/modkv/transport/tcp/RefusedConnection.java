package org.modkv.transport.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.wire.ErrorCode;

/**
 * The whole pipeline of a connection over {@code tcp.max.connections}: it says why in an
 * {@code OVERLOADED} error frame and closes, discarding whatever the client sent.
 */
final class RefusedConnection extends ChannelInboundHandlerAdapter {
    private final int maxConnections;

    RefusedConnection(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ClosingReply.send(ctx.channel(), Replies.error(FrameFormat.CONNECTION_ID, ErrorCode.OVERLOADED,
                "too many connections: limit tcp.max.connections=" + maxConnections));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
