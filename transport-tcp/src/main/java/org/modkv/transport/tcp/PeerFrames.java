package org.modkv.transport.tcp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.NotLeaderException;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.wire.PeerFrame;
import org.modkv.protocol.wire.PeerFrame.Kind;

/**
 * Builds {@link PeerFrame}s (see {@code peer.proto}) and turns them into bytes on the wire, and
 * errors into frames and back. Also names a peer channel for log lines and remembers why it was
 * closed.
 */
final class PeerFrames {
    /** The peer protocol version this build speaks, sent in HELLO. */
    static final int PROTOCOL_VERSION = 1;

    /** What a peer channel is, for log lines, e.g. {@code connection to peer n2 (127.0.0.1:7390)}. */
    private static final AttributeKey<String> LABEL = AttributeKey.valueOf("modkv.peer.label");
    /** Why we closed a peer channel, for the requests that were waiting on it. */
    private static final AttributeKey<String> CLOSE_REASON = AttributeKey.valueOf("modkv.peer.closeReason");

    private PeerFrames() {
    }

    static PeerFrame hello(String senderId) {
        return PeerFrame.newBuilder().setKind(Kind.HELLO).setSenderId(senderId).setProtocolVersion(PROTOCOL_VERSION)
                .build();
    }

    static PeerFrame send(String channel, byte[] payload) {
        return PeerFrame.newBuilder().setKind(Kind.SEND).setChannel(channel).setPayload(wrap(payload)).build();
    }

    static PeerFrame request(long id, String channel, byte[] payload) {
        return PeerFrame.newBuilder().setKind(Kind.REQUEST).setRequestId(id).setChannel(channel)
                .setPayload(wrap(payload)).build();
    }

    static PeerFrame reply(long id, byte[] payload) {
        return PeerFrame.newBuilder().setKind(Kind.REPLY).setRequestId(id).setPayload(wrap(payload)).build();
    }

    static PeerFrame error(long id, ErrorCode code, String message) {
        return PeerFrame.newBuilder().setKind(Kind.ERROR).setRequestId(id).setErrorCode(code.name())
                .setErrorMessage(message).build();
    }

    /**
     * The ERROR frame for a handler's failure: a {@link ModkvException} keeps its code, message
     * (and leader); anything else becomes {@code INTERNAL} naming the exception.
     */
    static PeerFrame failure(long id, Throwable failure, String what) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ModkvException e) {
            PeerFrame.Builder frame = error(id, e.code(), e.getMessage() == null ? e.code().name() : e.getMessage())
                    .toBuilder();
            if (e instanceof NotLeaderException notLeader) {
                notLeader.leaderId().ifPresent(frame::setLeaderId);
            }
            return frame.build();
        }
        return error(id, ErrorCode.INTERNAL, what + " failed: " + cause.getClass().getName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    /** The exception an ERROR frame stands for; an error code this build does not know becomes INTERNAL. */
    static ModkvException exception(PeerFrame error) {
        String message = error.getErrorMessage();
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.getErrorCode());
        } catch (IllegalArgumentException e) {
            return new ModkvException(ErrorCode.INTERNAL, "peer answered with unknown error code '"
                    + error.getErrorCode() + "': " + message);
        }
        if (code == ErrorCode.NOT_LEADER) {
            return new NotLeaderException(error.hasLeaderId() ? error.getLeaderId() : null, message);
        }
        return new ModkvException(code, message);
    }

    /** {@code frame} with its length prefix, ready to write. */
    static ByteBuf encode(PeerFrame frame) {
        return Unpooled.wrappedBuffer(FrameFormat.encode(frame));
    }

    /** Bytes {@code frame} takes after the length prefix. */
    static int size(PeerFrame frame) {
        return frame.getSerializedSize();
    }

    static void label(Channel channel, String label) {
        channel.attr(LABEL).set(label);
    }

    static String label(Channel channel) {
        String label = channel.attr(LABEL).get();
        return label != null ? label : "peer connection " + channel.remoteAddress();
    }

    /** Closes {@code channel}, remembering {@code reason} for {@link #closeReason}. */
    static void close(Channel channel, String reason) {
        channel.attr(CLOSE_REASON).setIfAbsent(reason);
        channel.close();
    }

    /** Why {@code channel} was closed by this side, or {@code fallback} if it was not. */
    static String closeReason(Channel channel, String fallback) {
        String reason = channel.attr(CLOSE_REASON).get();
        return reason != null ? reason : fallback;
    }

    private static ByteString wrap(byte[] payload) {
        // No copy: every frame is serialised (encode) on the thread that built it, before
        // send, request or the handler's completion returns to its caller.
        return UnsafeByteOperations.unsafeWrap(payload);
    }

    /** The failure inside a {@code CompletionException} or {@code ExecutionException}. */
    static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
