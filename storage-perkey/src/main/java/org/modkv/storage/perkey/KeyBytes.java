package org.modkv.storage.perkey;

import java.util.Arrays;
import java.util.HexFormat;

/** A key as a map key: equality and hash over its bytes. Owns its array; immutable. */
final class KeyBytes {
    private static final int SHOWN_BYTES = 16;

    private final byte[] bytes;
    private final int hash;

    private KeyBytes(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps {@code bytes} without copying; the caller must not change them afterwards. */
    static KeyBytes wrap(byte[] bytes) {
        return new KeyBytes(bytes);
    }

    /** Copies {@code buffer[offset, offset + length)}. */
    static KeyBytes copyOf(byte[] buffer, int offset, int length) {
        return new KeyBytes(Arrays.copyOfRange(buffer, offset, offset + length));
    }

    /** The key's bytes; owned by this object, never to be modified. */
    byte[] bytes() {
        return bytes;
    }

    int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBytes k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Hex of the first bytes, for messages. */
    @Override
    public String toString() {
        int shown = Math.min(bytes.length, SHOWN_BYTES);
        return "0x" + HexFormat.of().formatHex(bytes, 0, shown) + (shown < bytes.length ? "... (" + bytes.length + " bytes)" : "");
    }
}
