package org.modkv.api.kv;

import java.util.Objects;

/**
 * A value as read with what is known about it.
 *
 * @param value the value
 * @param version the revision that wrote it ({@link RecordHeader#LEGACY_VERSION} for a value
 *     stored before versions existed)
 * @param expiresAtMillis wall-clock milliseconds at which it expires, {@link RecordHeader#NO_EXPIRY}
 *     when it does not
 */
public record VersionedValue(byte[] value, long version, long expiresAtMillis) {
    public VersionedValue {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedValue v && v.version == version && v.expiresAtMillis == expiresAtMillis
                && java.util.Arrays.equals(v.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(version) + java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "VersionedValue(" + value.length + "B, version=" + version + ", expiresAt=" + expiresAtMillis + ")";
    }
}
