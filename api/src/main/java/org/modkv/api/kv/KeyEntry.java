package org.modkv.api.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key of a {@link KeyPage} with what a read returns about it.
 *
 * @param key the key
 * @param value its value (empty when the range asked for keys only)
 * @param version its version
 * @param expiresAtMillis its expiry, {@link RecordHeader#NO_EXPIRY} for none
 */
public record KeyEntry(byte[] key, byte[] value, long version, long expiresAtMillis) {
    public KeyEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyEntry e && e.version == version && e.expiresAtMillis == expiresAtMillis
                && Arrays.equals(e.key, key) && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "KeyEntry(" + key.length + "B, " + value.length + "B, version=" + version + ")";
    }
}
