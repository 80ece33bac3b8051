package org.modkv.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.modkv.client.KeyValue;

/**
 * RESP2 encoding of the commands a benchmark sends, each an array of bulk strings written
 * straight into one buffer from the channel's allocator: no intermediate objects.
 */
final class RespCommands {
    private static final byte[] GET = bulk("GET");
    private static final byte[] SET = bulk("SET");
    private static final byte[] MSET = bulk("MSET");
    private static final byte[] SEARCH = bulk("SEARCH");
    private static final byte[] CRLF = {'\r', '\n'};

    private RespCommands() {
    }

    /** {@code GET key}. */
    static ByteBuf get(ByteBufAllocator alloc, byte[] key) {
        ByteBuf out = alloc.ioBuffer(GET.length + 32 + key.length);
        arrayHeader(out, 2);
        out.writeBytes(GET);
        bulk(out, key);
        return out;
    }

    /** {@code SET key value}. */
    static ByteBuf set(ByteBufAllocator alloc, byte[] key, byte[] value) {
        ByteBuf out = alloc.ioBuffer(SET.length + 48 + key.length + value.length);
        arrayHeader(out, 3);
        out.writeBytes(SET);
        bulk(out, key);
        bulk(out, value);
        return out;
    }

    /** {@code MSET key value [key value ...]}. */
    static ByteBuf mset(ByteBufAllocator alloc, List<KeyValue> entries) {
        int size = MSET.length + 16;
        for (int i = 0, n = entries.size(); i < n; i++) {
            KeyValue entry = entries.get(i);
            size += 32 + entry.key().length + entry.value().length;
        }
        ByteBuf out = alloc.ioBuffer(size);
        arrayHeader(out, 1 + 2 * entries.size());
        out.writeBytes(MSET);
        for (int i = 0, n = entries.size(); i < n; i++) {
            KeyValue entry = entries.get(i);
            bulk(out, entry.key());
            bulk(out, entry.value());
        }
        return out;
    }

    /** {@code SEARCH word} (modkv's RESP transport: keys whose values contain all words). */
    static ByteBuf search(ByteBufAllocator alloc, byte[] word) {
        ByteBuf out = alloc.ioBuffer(SEARCH.length + 32 + word.length);
        arrayHeader(out, 2);
        out.writeBytes(SEARCH);
        bulk(out, word);
        return out;
    }

    private static void arrayHeader(ByteBuf out, int elements) {
        out.writeByte('*');
        writeDecimal(out, elements);
        out.writeBytes(CRLF);
    }

    private static void bulk(ByteBuf out, byte[] data) {
        out.writeByte('$');
        writeDecimal(out, data.length);
        out.writeBytes(CRLF);
        out.writeBytes(data);
        out.writeBytes(CRLF);
    }

    /** Writes non-negative {@code value} in ASCII decimal without allocating. */
    static void writeDecimal(ByteBuf out, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative length " + value);
        }
        int divisor = 1;
        while (value / divisor >= 10) {
            divisor *= 10;
        }
        while (divisor > 0) {
            out.writeByte('0' + value / divisor % 10);
            divisor /= 10;
        }
    }

    private static byte[] bulk(String command) {
        byte[] name = command.getBytes(StandardCharsets.US_ASCII);
        return ("$" + name.length + "\r\n" + command + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
