package org.modkv.transport.resp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames RESP2 requests out of a connection's input: arrays of bulk strings
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}, what client libraries send) and inline lines
 * ({@code GET k\r\n}, what telnet and redis-benchmark's PING_INLINE send).
 *
 * <p>Why hand-written rather than a Netty {@code ByteToMessageDecoder} or the
 * {@code netty-codec-redis} module: back-pressure must be exact. A decoder pushes every request
 * it can frame from a read into the pipeline, so a connection that pipelines faster than the
 * kernel answers would still pile up decoded requests. Here the connection pulls one request
 * at a time ({@link #next}) and simply stops pulling when it has
 * {@code resp.max.pending.requests} in flight; the unread bytes wait in the socket. The codec
 * module would also add a dependency and materialise every argument as its own message
 * (several objects per argument) for no gain: a request is just a list of byte arrays.
 *
 * <p>The parser keeps its state between calls (arguments read so far, the length of the bulk
 * string being awaited), so a large request arriving in many reads is scanned once, not again
 * on every read. Limits are checked from the length headers, before the payload arrives.
 * Not thread-safe: one per connection, used on its event loop.
 */
final class RequestParser {
    /** Longest {@code *N} or {@code $N} header line: a sign, 19 digits and CRLF fit easily. */
    private static final int MAX_HEADER_LINE = 32;
    private static final long NEED_MORE = Long.MIN_VALUE;

    private final RespSettings limits;
    /** Arguments still to read in the current array request; -1 between requests. */
    private int remainingArgs = -1;
    /** Length of the bulk string being awaited; -1 when its {@code $N} header is next. */
    private int bulkLength = -1;
    private long requestBytes;
    private List<byte[]> args;

    RequestParser(RespSettings limits) {
        this.limits = limits;
    }

    /**
     * Reads the next complete request from {@code in}, consuming its bytes.
     *
     * @return the request, or {@code null} if {@code in} does not yet
     *     hold a complete request; the bytes read so far are consumed and remembered
     * @throws RespProtocolException if the input is not RESP or breaks a limit; the connection
     *     must be closed, as its remaining input cannot be framed
     */
    RespRequest next(ByteBuf in) throws RespProtocolException {
        while (remainingArgs < 0) {
            if (!in.isReadable()) {
                return null;
            }
            if (in.getByte(in.readerIndex()) != '*') {
                List<byte[]> inline = readInline(in);
                if (inline == null) {
                    return null;
                }
                if (!inline.isEmpty()) {
                    return new RespRequest(inline);
                }
                continue; // an empty line: Redis ignores it too
            }
            long count = readHeader(in, "multibulk");
            if (count == NEED_MORE) {
                return null;
            }
            if (count > limits.maxArrayLength()) {
                throw new RespProtocolException("invalid multibulk length " + count
                        + "; resp.max.array.length=" + limits.maxArrayLength());
            }
            if (count < -1) {
                throw new RespProtocolException("invalid multibulk length " + count);
            }
            if (count > 0) { // *0 and the null array *-1 are no request; skip them like Redis
                remainingArgs = (int) count;
                args = new ArrayList<>((int) Math.min(count, 64));
                requestBytes = 0;
            }
        }
        while (remainingArgs > 0) {
            if (bulkLength < 0) {
                if (!in.isReadable()) {
                    return null;
                }
                byte type = in.getByte(in.readerIndex());
                if (type != '$') {
                    throw new RespProtocolException("expected '$', got '" + printable(type) + "'");
                }
                long length = readHeader(in, "bulk");
                if (length == NEED_MORE) {
                    return null;
                }
                if (length < 0) {
                    throw new RespProtocolException("invalid bulk length " + length
                            + "; a request argument cannot be null or negative");
                }
                if (length > limits.maxBulkBytes()) {
                    throw new RespProtocolException("invalid bulk length " + length
                            + "; resp.max.bulk.bytes=" + limits.maxBulkBytes());
                }
                requestBytes += length;
                if (requestBytes > limits.maxRequestBytes()) {
                    throw new RespProtocolException("request larger than resp.max.request.bytes="
                            + limits.maxRequestBytes());
                }
                bulkLength = (int) length;
            }
            if (in.readableBytes() < bulkLength + 2L) {
                return null;
            }
            byte[] arg = new byte[bulkLength];
            in.readBytes(arg);
            if (in.readByte() != '\r' || in.readByte() != '\n') {
                throw new RespProtocolException("bulk string of " + bulkLength + " bytes is not followed by CRLF");
            }
            args.add(arg);
            bulkLength = -1;
            remainingArgs--;
        }
        RespRequest request = new RespRequest(args);
        args = null;
        remainingArgs = -1;
        return request;
    }

    /**
     * Reads a {@code *N} or {@code $N} line; returns {@link #NEED_MORE} without consuming
     * anything if the line is not complete yet.
     */
    private static long readHeader(ByteBuf in, String what) throws RespProtocolException {
        int start = in.readerIndex();
        int searchEnd = start + Math.min(in.readableBytes(), MAX_HEADER_LINE);
        int lf = in.indexOf(start, searchEnd, (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= MAX_HEADER_LINE) {
                throw new RespProtocolException("too big " + (what.equals("bulk") ? "bulk" : "mbulk")
                        + " count string");
            }
            return NEED_MORE;
        }
        if (lf - start < 3 || in.getByte(lf - 1) != '\r') {
            throw new RespProtocolException("invalid " + what + " length '" + text(in, start + 1, lf)
                    + "'; expected a number followed by CRLF");
        }
        long value = 0;
        int p = start + 1;
        boolean negative = in.getByte(p) == '-';
        if (negative) {
            p++;
        }
        int digits = lf - 1 - p;
        if (digits < 1 || digits > 18) {
            throw new RespProtocolException("invalid " + what + " length '" + text(in, start + 1, lf - 1) + "'");
        }
        for (; p < lf - 1; p++) {
            byte c = in.getByte(p);
            if (c < '0' || c > '9') {
                throw new RespProtocolException("invalid " + what + " length '" + text(in, start + 1, lf - 1) + "'");
            }
            value = value * 10 + (c - '0');
        }
        in.readerIndex(lf + 1);
        return negative ? -value : value;
    }

    /** Reads an inline line; {@code null} if it has no line feed yet. */
    private List<byte[]> readInline(ByteBuf in) throws RespProtocolException {
        int start = in.readerIndex();
        int limit = limits.maxInlineBytes();
        int searchEnd = start + Math.min(in.readableBytes(), limit + 1);
        int lf = in.indexOf(start, searchEnd, (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > limit) {
                throw new RespProtocolException("too big inline request; resp.max.inline.bytes=" + limit);
            }
            return null;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(lf + 1);
        return InlineSplitter.split(line);
    }

    private static String text(ByteBuf in, int from, int to) {
        byte[] bytes = new byte[Math.min(to - from, MAX_HEADER_LINE)];
        in.getBytes(from, bytes);
        return RespErrors.printable(bytes, bytes.length);
    }

    private static String printable(byte b) {
        return RespErrors.printable(new byte[] {b}, 1);
    }
}
