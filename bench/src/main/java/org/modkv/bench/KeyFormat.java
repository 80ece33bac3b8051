package org.modkv.bench;

import java.nio.charset.StandardCharsets;

/**
 * Keys {@code key:<n>}, with {@code n} zero-padded to the width of the largest index so that
 * all keys have the same length. Written in place into a reusable buffer: formatting a key
 * allocates nothing.
 */
final class KeyFormat {
    private static final byte[] PREFIX = "key:".getBytes(StandardCharsets.US_ASCII);

    private final long keys;
    private final int width;

    KeyFormat(long keys) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, was " + keys);
        }
        this.keys = keys;
        this.width = Long.toString(keys - 1).length();
    }

    /** A buffer of the right length, holding key 0. */
    byte[] newBuffer() {
        byte[] buffer = new byte[PREFIX.length + width];
        System.arraycopy(PREFIX, 0, buffer, 0, PREFIX.length);
        write(0, buffer);
        return buffer;
    }

    /** Overwrites {@code buffer} (from {@link #newBuffer()}) with key {@code index}. */
    void write(long index, byte[] buffer) {
        if (index < 0 || index >= keys) {
            throw new IllegalArgumentException("key index " + index + " is outside 0.." + (keys - 1));
        }
        long rest = index;
        for (int i = buffer.length - 1; i >= PREFIX.length; i--) {
            buffer[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
    }

    /** Key {@code index} as text, e.g. {@code key:00042}. */
    String format(long index) {
        byte[] buffer = newBuffer();
        write(index, buffer);
        return new String(buffer, StandardCharsets.US_ASCII);
    }
}
