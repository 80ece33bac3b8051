package org.modkv.bench;

import io.netty.buffer.ByteBuf;

/**
 * Finds where one RESP2 reply ends in a buffer, without copying or allocating: simple strings
 * ({@code +}), errors ({@code -}), integers ({@code :}), bulk strings ({@code $}, {@code $-1} for
 * nil) and arrays ({@code *}, nested, {@code *-1} for nil). A benchmark needs only the outcome
 * of a reply, not its contents, so nothing is decoded beyond the type and the lengths.
 */
final class RespReplyScanner {
    /** {@link #end} returns this while the reply has not fully arrived. */
    static final int INCOMPLETE = -1;
    private static final int MAX_DEPTH = 32;
    private static final long MAX_BULK = 512L * 1024 * 1024;

    private RespReplyScanner() {
    }

    /**
     * The index just past the reply that starts at {@code start}, or {@link #INCOMPLETE}.
     *
     * @throws RespProtocolException if the bytes are not RESP2
     */
    static int end(ByteBuf buf, int start) {
        return end(buf, start, 0);
    }

    private static int end(ByteBuf buf, int start, int depth) {
        int limit = buf.writerIndex();
        if (start >= limit) {
            return INCOMPLETE;
        }
        int lf = buf.indexOf(start + 1, limit, (byte) '\n');
        if (lf < 0) {
            return INCOMPLETE;
        }
        if (buf.getByte(lf - 1) != '\r' || lf - 1 <= start) {
            throw new RespProtocolException("reply line does not end with CRLF");
        }
        byte type = buf.getByte(start);
        switch (type) {
            case '+', '-', ':':
                return lf + 1;
            case '$': {
                long length = parseLength(buf, start + 1, lf - 1);
                if (length == -1) {
                    return lf + 1;
                }
                if (length < 0 || length > MAX_BULK) {
                    throw new RespProtocolException("bad bulk string length " + length);
                }
                long end = lf + 1 + length + 2;
                if (end > limit) {
                    return INCOMPLETE;
                }
                if (buf.getByte((int) end - 2) != '\r' || buf.getByte((int) end - 1) != '\n') {
                    throw new RespProtocolException("bulk string is not followed by CRLF");
                }
                return (int) end;
            }
            case '*': {
                long count = parseLength(buf, start + 1, lf - 1);
                if (count == -1) {
                    return lf + 1;
                }
                if (count < 0 || count > Integer.MAX_VALUE) {
                    throw new RespProtocolException("bad array length " + count);
                }
                if (depth >= MAX_DEPTH) {
                    throw new RespProtocolException("arrays nested deeper than " + MAX_DEPTH);
                }
                int at = lf + 1;
                for (long i = 0; i < count; i++) {
                    at = end(buf, at, depth + 1);
                    if (at == INCOMPLETE) {
                        return INCOMPLETE;
                    }
                }
                return at;
            }
            default:
                throw new RespProtocolException("unknown reply type byte 0x" + Integer.toHexString(type & 0xff));
        }
    }

    /**
     * The length or count on a {@code $} or {@code *} line, between {@code from} and {@code to}
     * (exclusive); {@code -1} for nil.
     */
    static long parseLength(ByteBuf buf, int from, int to) {
        if (from >= to) {
            throw new RespProtocolException("missing length");
        }
        boolean negative = buf.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i >= to || to - i > 18) {
            throw new RespProtocolException("bad length");
        }
        long value = 0;
        for (; i < to; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                throw new RespProtocolException("bad length");
            }
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }
}
