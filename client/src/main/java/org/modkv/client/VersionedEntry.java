package org.modkv.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * A value with its version (the revision of the write that stored it; 0 for a value stored before
 * versions existed) and expiry (milliseconds since the epoch, 0 when it never expires). Pass the
 * version to {@link Txn#ifVersion} for a compare-and-set.
 */
public record VersionedEntry(byte[] value, long version, long expiresAtMillis) {
    public VersionedEntry {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedEntry v && v.version == version && v.expiresAtMillis == expiresAtMillis
                && Arrays.equals(v.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(version) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "VersionedEntry(" + value.length + "B, version=" + version + ", expiresAt=" + expiresAtMillis + ")";
    }
}
