package org.modkv.replication.quorum.version;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One concurrent version of a key: the value a write stored ({@code null} for a delete, a
 * tombstone), the {@link Dot} of that write, and the coordinator's wall-clock time in
 * milliseconds, used only to pick a winner for the default read ({@link LastWriterWins}).
 * Immutable: the value array is never handed out to be changed (callers must not modify it).
 */
public final class Sibling {
    private final Dot dot;
    private final long timestampMillis;
    private final byte[] value;

    private Sibling(Dot dot, long timestampMillis, byte[] value) {
        this.dot = Objects.requireNonNull(dot, "dot");
        this.timestampMillis = timestampMillis;
        this.value = value;
    }

    /** A stored value. */
    public static Sibling value(Dot dot, long timestampMillis, byte[] value) {
        return new Sibling(dot, timestampMillis, Objects.requireNonNull(value, "value").clone());
    }

    /** A delete. */
    public static Sibling tombstone(Dot dot, long timestampMillis) {
        return new Sibling(dot, timestampMillis, null);
    }

    public Dot dot() {
        return dot;
    }

    public long timestampMillis() {
        return timestampMillis;
    }

    public boolean isTombstone() {
        return value == null;
    }

    /** The stored bytes; {@code null} for a tombstone. Do not modify. */
    public byte[] value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sibling s && dot.equals(s.dot) && timestampMillis == s.timestampMillis
                && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return dot.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return dot + "@" + timestampMillis + "=" + (value == null ? "<tombstone>"
                : value.length <= 16 ? HexFormat.of().formatHex(value) : value.length + "B");
    }
}
