package org.modkv.transport.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandlerContext;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
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
final class RequestFrameDecoder extends LengthPrefixedDecoder {
    private static final System.Logger LOG = System.getLogger(RequestFrameDecoder.class.getName());

    private final TcpCounters counters;

    RequestFrameDecoder(int maxFrameBytes, TcpCounters counters) {
        super(maxFrameBytes, "tcp.max.frame.bytes");
        this.counters = counters;
    }

    @Override
    Object parse(ByteBuffer body) throws InvalidProtocolBufferException {
        return Request.parseFrom(body);
    }

    @Override
    String unparsable(int length, String parseError) {
        return "frame of " + length + " bytes is not a modkv Request (" + parseError
                + "); expected a 4-byte big-endian length and a serialized modkv.wire.Request";
    }

    @Override
    void reject(ChannelHandlerContext ctx, boolean tooLarge, String message) {
        counters.rejectedFrames.increment();
        counters.errorReplies.increment();
        LOG.log(Level.DEBUG, () -> "closing " + ctx.channel().remoteAddress() + ": " + message);
        ClosingReply.send(ctx.channel(), Replies.error(FrameFormat.CONNECTION_ID,
                tooLarge ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_REQUEST, message));
    }
}
