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
        VERSION_EQUALS,
        /**
         * The key still has exactly this version and has expired: what the expiry sweep deletes
         * on, so that a key written again meanwhile is left alone.
         */
        EXPIRED_AT_VERSION;

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
        boolean versioned = kind == Kind.VERSION_EQUALS || kind == Kind.EXPIRED_AT_VERSION;
        if (versioned && version < 0) {
            throw new IllegalArgumentException("a version is >= 0, not " + version);
        }
        if (!versioned) {
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

    /** The sweep's condition: {@code key} still has {@code version} and has expired. */
    public static Condition expiredAtVersion(byte[] key, long version) {
        return new Condition(key, Kind.EXPIRED_AT_VERSION, version);
    }

    /**
     * Whether it holds for a key whose stored header is {@code header} ({@code null} when the key
     * is absent) at {@code nowMillis}: an expired key counts as absent except for
     * {@link Kind#EXPIRED_AT_VERSION}.
     */
    public boolean holdsFor(RecordHeader header, long nowMillis) {
        boolean live = header != null && !header.expiredAt(nowMillis);
        return switch (kind) {
            case ABSENT -> !live;
            case PRESENT -> live;
            case VERSION_EQUALS -> live && header.version() == version;
            case EXPIRED_AT_VERSION -> header != null && !live && header.version() == version;
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
        return kind + "(key=" + key.length + "B, version=" + version + ")";
    }
}
