package org.modkv.protocol;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How messages sit on a stream: a 4-byte big-endian length {@code N}, then {@code N} bytes
 * of one serialized message. {@code N} is at most the receiver's max frame bytes (the
 * server says its own in {@code HelloOk.max_frame_bytes}).
 */
public final class FrameFormat {
    /** Bytes of the length prefix. */
    public static final int LENGTH_PREFIX_BYTES = 4;
    /** The default largest frame (the prefix not counted): 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
    /** The smallest max frame a peer may configure: 1 KiB. */
    public static final int MIN_MAX_FRAME_BYTES = 1 << 10;
    /** The response id of an error about the whole connection rather than one request. */
    public static final long CONNECTION_ID = 0L;

    private FrameFormat() {
    }

    /**
     * Checks a length prefix.
     *
     * @return {@code null} if a frame of {@code length} bytes is acceptable, otherwise the
     *     message to send back, naming the limit {@code limitName}
     */
    public static String checkLength(long length, int maxFrameBytes, String limitName) {
        if (length < 0) {
            return "frame length " + length + " is negative; a frame starts with a 4-byte big-endian length "
                    + "0.." + maxFrameBytes;
        }
        if (length > maxFrameBytes) {
            return "frame of " + length + " bytes exceeds " + limitName + "=" + maxFrameBytes;
        }
        return null;
    }

    /** One whole frame (length prefix and message) as a new array, e.g. for a blocking socket. */
    public static byte[] encode(MessageLite message) {
        int size = message.getSerializedSize();
        byte[] frame = new byte[LENGTH_PREFIX_BYTES + size];
        frame[0] = (byte) (size >>> 24);
        frame[1] = (byte) (size >>> 16);
        frame[2] = (byte) (size >>> 8);
        frame[3] = (byte) size;
        CodedOutputStream out = CodedOutputStream.newInstance(frame, LENGTH_PREFIX_BYTES, size);
        try {
            message.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + message.getClass().getSimpleName(), e);
        }
        return frame;
    }
}
