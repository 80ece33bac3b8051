package org.modkv.transport.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandlerContext;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import org.modkv.protocol.wire.PeerFrame;

/**
 * Cuts a peer connection's byte stream into {@link PeerFrame}s (4-byte big-endian length, then
 * the message), in both directions. A length prefix that is negative or above
 * {@code tcp.peer.max.frame.bytes}, or a frame that is not a {@code PeerFrame}, is logged and
 * closes the connection (the stream cannot be resynchronised); an oversized frame is refused
 * from its prefix alone, its body is never buffered. Peers are our own nodes, so unlike the
 * client decoder there is nobody to explain the error to: the log line is for the operator.
 */
final class PeerFrameDecoder extends LengthPrefixedDecoder {
    private static final System.Logger LOG = System.getLogger(PeerFrameDecoder.class.getName());

    private final PeerCounters counters;

    PeerFrameDecoder(int maxFrameBytes, PeerCounters counters) {
        super(maxFrameBytes, "tcp.peer.max.frame.bytes");
        this.counters = counters;
    }

    @Override
    Object parse(ByteBuffer body) throws InvalidProtocolBufferException {
        PeerFrame frame = PeerFrame.parseFrom(body);
        counters.framesReceived.increment();
        return frame;
    }

    @Override
    String unparsable(int length, String parseError) {
        return "frame of " + length + " bytes is not a modkv PeerFrame (" + parseError + ")";
    }

    @Override
    void reject(ChannelHandlerContext ctx, boolean tooLarge, String problem) {
        counters.framesRejected.increment();
        String label = PeerFrames.label(ctx.channel());
        LOG.log(Level.WARNING, () -> "closing " + label + ": " + problem);
        PeerFrames.close(ctx.channel(), problem);
    }
}
