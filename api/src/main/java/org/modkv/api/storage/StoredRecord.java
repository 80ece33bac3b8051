package org.modkv.api.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key as stored: its value and the replication plugin's opaque metadata. Arrays are owned by
 * the record; callers must not modify them.
 */
public record StoredRecord(byte[] key, byte[] value, byte[] metadata) {
    private static final byte[] EMPTY = new byte[0];

    public StoredRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        metadata = metadata == null ? EMPTY : metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredRecord r && Arrays.equals(r.key, key) && Arrays.equals(r.value, value)
                && Arrays.equals(r.metadata, metadata);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(value)) + Arrays.hashCode(metadata);
    }

    @Override
    public String toString() {
        return "StoredRecord(key=" + key.length + "B, value=" + value.length + "B, metadata=" + metadata.length + "B)";
    }
}
