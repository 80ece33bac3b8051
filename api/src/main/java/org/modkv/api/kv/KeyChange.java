package org.modkv.api.kv;

import java.util.Objects;

/**
 * What a {@link KeyUpdate} decides to do to its key.
 *
 * @param kind keep the key as it is, store a value, or delete it
 * @param value for {@link Kind#PUT}: the value to store; empty otherwise
 * @param expiresAtMillis for {@link Kind#PUT}: when the key expires, {@link RecordHeader#NO_EXPIRY}
 *     for never
 */
public record KeyChange(Kind kind, byte[] value, long expiresAtMillis) {
    /** What happens to the key. */
    public enum Kind { NONE, PUT, DELETE }

    /** Leave the key as it is. */
    public static final KeyChange NONE = new KeyChange(Kind.NONE, new byte[0], RecordHeader.NO_EXPIRY);
    /** Delete the key. */
    public static final KeyChange DELETE = new KeyChange(Kind.DELETE, new byte[0], RecordHeader.NO_EXPIRY);

    public KeyChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /** Store {@code value}, expiring at {@code expiresAtMillis} (0 = never). */
    public static KeyChange put(byte[] value, long expiresAtMillis) {
        return new KeyChange(Kind.PUT, value, expiresAtMillis);
    }
}
