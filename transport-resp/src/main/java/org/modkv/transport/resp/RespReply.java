package org.modkv.transport.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A RESP2 reply value and its wire form. Immutable; built on any thread, encoded on the
 * connection's event loop.
 */
sealed interface RespReply {

    RespReply OK = new Simple("OK");
    RespReply PONG = new Simple("PONG");
    RespReply NULL_BULK = new Bulk(null);
    RespReply EMPTY_ARRAY = new Array(List.of());
    /** {@code *-1}: EXEC's answer when a watched key changed. */
    RespReply NULL_ARRAY = new NullArray();

    /** Appends the wire form to {@code out}. */
    void encodeTo(ByteBuf out);

    static RespReply simple(String text) {
        return new Simple(text);
    }

    /** An error reply; {@code text} starts with its code word, e.g. {@code ERR} or {@code BUSY}. */
    static RespReply error(String text) {
        return new Error(text);
    }

    static RespReply integer(long value) {
        return new Int(value);
    }

    /** A bulk string holding {@code bytes} (not copied; the caller must not change them). */
    static RespReply bulk(byte[] bytes) {
        return new Bulk(bytes);
    }

    static RespReply bulk(String text) {
        return new Bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    static RespReply array(List<RespReply> items) {
        return new Array(List.copyOf(items));
    }

    /** {@code +text}: a short status line. */
    record Simple(String text) implements RespReply {
        public Simple {
            text = singleLine(text);
        }

        @Override
        public void encodeTo(ByteBuf out) {
            out.writeByte('+');
            out.writeCharSequence(text, StandardCharsets.UTF_8);
            crlf(out);
        }
    }

    /** {@code -CODE message}: an error the client library raises. */
    record Error(String text) implements RespReply {
        public Error {
            text = singleLine(text);
        }

        @Override
        public void encodeTo(ByteBuf out) {
            out.writeByte('-');
            out.writeCharSequence(text, StandardCharsets.UTF_8);
            crlf(out);
        }
    }

    /** {@code :n}. */
    record Int(long value) implements RespReply {
        @Override
        public void encodeTo(ByteBuf out) {
            out.writeByte(':');
            writeDecimal(out, value);
            crlf(out);
        }
    }

    /** {@code $len bytes}, or the null bulk string {@code $-1} when {@code bytes} is {@code null}. */
    record Bulk(byte[] bytes) implements RespReply {
        @Override
        public void encodeTo(ByteBuf out) {
            out.writeByte('$');
            if (bytes == null) {
                writeDecimal(out, -1);
                crlf(out);
                return;
            }
            writeDecimal(out, bytes.length);
            crlf(out);
            out.writeBytes(bytes);
            crlf(out);
        }
    }

    /** {@code *-1}. */
    record NullArray() implements RespReply {
        @Override
        public void encodeTo(ByteBuf out) {
            out.writeBytes("*-1\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** {@code *n items}. */
    record Array(List<RespReply> items) implements RespReply {
        @Override
        public void encodeTo(ByteBuf out) {
            out.writeByte('*');
            writeDecimal(out, items.size());
            crlf(out);
            for (RespReply item : items) {
                item.encodeTo(out);
            }
        }
    }

    private static void crlf(ByteBuf out) {
        out.writeByte('\r');
        out.writeByte('\n');
    }

    private static void writeDecimal(ByteBuf out, long value) {
        out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
    }

    /** Status and error lines cannot hold CR or LF: the client would read them as the line's end. */
    private static String singleLine(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replace('\r', ' ').replace('\n', ' ');
    }
}
