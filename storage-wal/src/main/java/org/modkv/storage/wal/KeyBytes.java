package org.modkv.storage.wal;

import java.util.Arrays;

/** A key as a map key: equality and hash over its bytes. Owns its array; immutable. */
final class KeyBytes {
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

    int length() {
        return bytes.length;
    }

    /** A copy of the key. */
    byte[] toByteArray() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBytes k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "KeyBytes(" + bytes.length + "B)";
    }
}
