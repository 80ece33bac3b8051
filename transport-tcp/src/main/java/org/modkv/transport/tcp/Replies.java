package org.modkv.transport.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.modkv.api.ModkvException;
import org.modkv.api.NotLeaderException;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.wire.Error;
import org.modkv.protocol.wire.ErrorCode;
import org.modkv.protocol.wire.Response;

/** Builds reply frames, and turns failures into wire {@code Error}s. */
final class Replies {
    private static final System.Logger LOG = System.getLogger(Replies.class.getName());

    private Replies() {
    }

    /** {@code response} as one frame, ready to write. */
    static ByteBuf frame(Response response) {
        return Unpooled.wrappedBuffer(FrameFormat.encode(response));
    }

    static Response error(long id, ErrorCode code, String message) {
        return Response.newBuilder().setId(id).setError(Error.newBuilder().setCode(code).setMessage(message)).build();
    }

    /**
     * The reply for a request that failed with {@code failure}: a {@link ModkvException}
     * keeps its code and message (and leader); anything else is a bug, logged and answered
     * {@code INTERNAL}.
     */
    static Response failure(long id, Throwable failure, String what) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ModkvException e) {
            Error.Builder error = Error.newBuilder().setCode(toWire(e.code()))
                    .setMessage(e.getMessage() == null ? e.code().name() : e.getMessage());
            if (e instanceof NotLeaderException n) {
                n.leaderId().ifPresent(error::setLeaderId);
            }
            return Response.newBuilder().setId(id).setError(error).build();
        }
        LOG.log(Level.WARNING, "request " + id + " (" + what + ") failed inside the node", cause);
        return error(id, ErrorCode.INTERNAL, "internal error while serving " + what + ": "
                + cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    static ErrorCode toWire(org.modkv.api.ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST -> ErrorCode.INVALID_REQUEST;
            case TOO_LARGE -> ErrorCode.TOO_LARGE;
            case OVERLOADED -> ErrorCode.OVERLOADED;
            case NO_SUCH_INDEX -> ErrorCode.NO_SUCH_INDEX;
            case INDEX_NOT_READY -> ErrorCode.INDEX_NOT_READY;
            case NOT_LEADER -> ErrorCode.NOT_LEADER;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case STORAGE_FAILURE -> ErrorCode.STORAGE_FAILURE;
            case STORAGE_CORRUPT -> ErrorCode.STORAGE_CORRUPT;
            case SHUTTING_DOWN -> ErrorCode.SHUTTING_DOWN;
            case CONDITIONS_UNSUPPORTED -> ErrorCode.CONDITIONS_UNSUPPORTED;
            case INTERNAL -> ErrorCode.INTERNAL;
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
