package org.modkv.transport.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.System.Logger.Level;
import java.util.List;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.wire.ErrorCode;
import org.modkv.protocol.wire.Request;

/**
 * Cuts the byte stream into frames and parses each as a {@link Request}.
 *
 * <p>Unlike Netty's {@code LengthFieldBasedFrameDecoder}, a bad frame is answered, not just
 * dropped: a length prefix that is negative or above {@code tcp.max.frame.bytes}, or a frame
 * that is not a valid {@code Request}, gets an {@code Error} with id 0 naming the problem, and
 * the connection is closed (the stream cannot be resynchronised) by {@link ClosingReply}.
 * Bytes after that are discarded.
 * An oversized frame is refused from its prefix alone: its body is never buffered.
 */
final class RequestFrameDecoder extends ByteToMessageDecoder {
    private static final System.Logger LOG = System.getLogger(RequestFrameDecoder.class.getName());

    private final int maxFrameBytes;
    private final TcpCounters counters;
    private boolean rejected;

    RequestFrameDecoder(int maxFrameBytes, TcpCounters counters) {
        this.maxFrameBytes = maxFrameBytes;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < FrameFormat.LENGTH_PREFIX_BYTES) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        String problem = FrameFormat.checkLength(length, maxFrameBytes, "tcp.max.frame.bytes");
        if (problem != null) {
            reject(ctx, in, length < 0 ? ErrorCode.INVALID_REQUEST : ErrorCode.TOO_LARGE, problem);
            return;
        }
        if (in.readableBytes() < FrameFormat.LENGTH_PREFIX_BYTES + length) {
            return;
        }
        in.skipBytes(FrameFormat.LENGTH_PREFIX_BYTES);
        ByteBuf body = in.readSlice(length);
        try {
            out.add(Request.parseFrom(body.nioBuffer()));
        } catch (InvalidProtocolBufferException e) {
            reject(ctx, in, ErrorCode.INVALID_REQUEST, "frame of " + length + " bytes is not a modkv Request ("
                    + e.getMessage() + "); expected a 4-byte big-endian length and a serialized modkv.wire.Request");
        }
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, ErrorCode code, String message) {
        rejected = true;
        counters.rejectedFrames.increment();
        counters.errorReplies.increment();
        in.skipBytes(in.readableBytes());
        LOG.log(Level.DEBUG, () -> "closing " + ctx.channel().remoteAddress() + ": " + message);
        ClosingReply.send(ctx.channel(), Replies.error(FrameFormat.CONNECTION_ID, code, message));
    }
}
