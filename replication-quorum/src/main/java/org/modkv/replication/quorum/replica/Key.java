package org.modkv.replication.quorum.replica;

import java.util.Arrays;
import java.util.HexFormat;

/** A key's bytes as a map key: equal by content, ordered unsigned-lexicographically. Never modify the array. */
public final class Key implements Comparable<Key> {
    private final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps a copy of {@code bytes}. */
    public static Key of(byte[] bytes) {
        return new Key(bytes.clone());
    }

    /** The bytes; do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public int compareTo(Key o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        boolean printable = true;
        for (byte b : bytes) {
            printable &= b >= 0x20 && b < 0x7f;
        }
        return printable ? new String(bytes, java.nio.charset.StandardCharsets.US_ASCII) : "0x" + HexFormat.of().formatHex(bytes);
    }
}
