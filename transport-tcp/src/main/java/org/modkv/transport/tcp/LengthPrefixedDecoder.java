package org.modkv.transport.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.modkv.protocol.FrameFormat;

/**
 * Cuts a byte stream into length-prefixed Protobuf messages (4-byte big-endian length, then the
 * message), for the client and the peer connections. A length prefix that is negative or above
 * the limit is refused from the prefix alone (the body is never buffered); a frame that does not
 * parse is refused too. After a refusal the stream cannot be resynchronised: the subclass
 * answers or logs and closes, and every later byte is discarded.
 */
abstract class LengthPrefixedDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private final String limitKey;
    private boolean rejected;

    LengthPrefixedDecoder(int maxFrameBytes, String limitKey) {
        this.maxFrameBytes = maxFrameBytes;
        this.limitKey = limitKey;
    }

    /** Parses one frame's body. */
    abstract Object parse(ByteBuffer body) throws InvalidProtocolBufferException;

    /**
     * Refuses the connection's input: {@code tooLarge} for a length above the limit, otherwise a
     * negative length or a body that does not parse.
     */
    abstract void reject(ChannelHandlerContext ctx, boolean tooLarge, String problem);

    /** The problem with a frame of {@code length} bytes that does not parse, for {@link #reject}. */
    abstract String unparsable(int length, String parseError);

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < FrameFormat.LENGTH_PREFIX_BYTES) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        String problem = FrameFormat.checkLength(length, maxFrameBytes, limitKey);
        if (problem != null) {
            refuse(ctx, in, length >= 0, problem);
            return;
        }
        if (in.readableBytes() < FrameFormat.LENGTH_PREFIX_BYTES + length) {
            return;
        }
        in.skipBytes(FrameFormat.LENGTH_PREFIX_BYTES);
        ByteBuf body = in.readSlice(length);
        try {
            out.add(parse(body.nioBuffer()));
        } catch (InvalidProtocolBufferException e) {
            refuse(ctx, in, false, unparsable(length, e.getMessage()));
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, boolean tooLarge, String problem) {
        rejected = true;
        in.skipBytes(in.readableBytes());
        reject(ctx, tooLarge, problem);
    }
}
