package org.modkv.api.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A compare of a conditional write (etcd's txn compare): the write applies only if every
 * condition holds when it is decided. An expired key counts as absent.
 *
 * @param key the key compared
 * @param kind what must hold
 * @param version for {@link Kind#VERSION_EQUALS}: the version the key must have; 0 otherwise
 */
public record Condition(byte[] key, Kind kind, long version) {

    /** What a condition requires of its key. */
    public enum Kind {
        /** The key does not exist (Redis NX). */
        ABSENT,
        /** The key exists (Redis XX). */
        PRESENT,
        /** The key exists with exactly this version (compare-and-set, WATCH). */
        VERSION_EQUALS;

        /** The byte that stands for it in encodings. */
        byte code() {
            return (byte) ordinal();
        }

        static Kind of(byte code) {
            Kind[] all = values();
            if (code < 0 || code >= all.length) {
                throw new IllegalArgumentException("unknown condition kind " + code);
            }
            return all[code];
        }
    }

    public Condition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.VERSION_EQUALS && version < 0) {
            throw new IllegalArgumentException("a version is >= 0, not " + version);
        }
        if (kind != Kind.VERSION_EQUALS) {
            version = 0;
        }
    }

    public static Condition absent(byte[] key) {
        return new Condition(key, Kind.ABSENT, 0);
    }

    public static Condition present(byte[] key) {
        return new Condition(key, Kind.PRESENT, 0);
    }

    public static Condition versionEquals(byte[] key, long version) {
        return new Condition(key, Kind.VERSION_EQUALS, version);
    }

    /**
     * Whether it holds for a key whose current header is {@code header} ({@code null} when the key
     * is absent or expired).
     */
    public boolean holdsFor(RecordHeader header) {
        return switch (kind) {
            case ABSENT -> header == null;
            case PRESENT -> header != null;
            case VERSION_EQUALS -> header != null && header.version() == version;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && c.kind == kind && c.version == version && Arrays.equals(c.key, key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, version, Arrays.hashCode(key));
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.VERSION_EQUALS ? "(" + version + ")" : "") + "(key=" + key.length + "B)";
    }
}
