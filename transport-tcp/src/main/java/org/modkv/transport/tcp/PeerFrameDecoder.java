package org.modkv.transport.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.System.Logger.Level;
import java.util.List;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.wire.PeerFrame;

/**
 * Cuts a peer connection's byte stream into {@link PeerFrame}s (4-byte big-endian length, then
 * the message), in both directions. A length prefix that is negative or above
 * {@code tcp.peer.max.frame.bytes}, or a frame that is not a {@code PeerFrame}, is logged and
 * closes the connection (the stream cannot be resynchronised); an oversized frame is refused
 * from its prefix alone, its body is never buffered. Peers are our own nodes, so unlike the
 * client decoder there is nobody to explain the error to: the log line is for the operator.
 */
final class PeerFrameDecoder extends ByteToMessageDecoder {
    private static final System.Logger LOG = System.getLogger(PeerFrameDecoder.class.getName());

    private final int maxFrameBytes;
    private final PeerCounters counters;
    private boolean rejected;

    PeerFrameDecoder(int maxFrameBytes, PeerCounters counters) {
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
        String problem = FrameFormat.checkLength(length, maxFrameBytes, "tcp.peer.max.frame.bytes");
        if (problem != null) {
            reject(ctx, in, problem);
            return;
        }
        if (in.readableBytes() < FrameFormat.LENGTH_PREFIX_BYTES + length) {
            return;
        }
        in.skipBytes(FrameFormat.LENGTH_PREFIX_BYTES);
        ByteBuf body = in.readSlice(length);
        try {
            out.add(PeerFrame.parseFrom(body.nioBuffer()));
            counters.framesReceived.increment();
        } catch (InvalidProtocolBufferException e) {
            reject(ctx, in, "frame of " + length + " bytes is not a modkv PeerFrame (" + e.getMessage() + ")");
        }
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, String problem) {
        rejected = true;
        counters.framesRejected.increment();
        in.skipBytes(in.readableBytes());
        String label = PeerFrames.label(ctx.channel());
        LOG.log(Level.WARNING, () -> "closing " + label + ": " + problem);
        PeerFrames.close(ctx.channel(), problem);
    }
}
