package org.modkv.api.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded entry of a {@link WriteBatch}: an immutable, allocating view for code that is
 * not on the hot path (indexes, tests). The arrays are owned by this object; do not modify them.
 *
 * @param type put or delete
 * @param key the key, any bytes, may be empty
 * @param value the value for a put; empty for a delete
 * @param metadata opaque bytes owned by the replication plugin (version vector, timestamp,
 *     tombstone flag); empty when unused
 */
public record Mutation(MutationType type, byte[] key, byte[] value, byte[] metadata) {
    private static final byte[] EMPTY = new byte[0];

    public Mutation {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        value = value == null ? EMPTY : value;
        metadata = metadata == null ? EMPTY : metadata;
    }

    public static Mutation put(byte[] key, byte[] value) {
        return new Mutation(MutationType.PUT, key, value, EMPTY);
    }

    public static Mutation delete(byte[] key) {
        return new Mutation(MutationType.DELETE, key, EMPTY, EMPTY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mutation m && m.type == type && Arrays.equals(m.key, key)
                && Arrays.equals(m.value, value) && Arrays.equals(m.metadata, metadata);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * type.hashCode() + Arrays.hashCode(key)) + Arrays.hashCode(value))
                + Arrays.hashCode(metadata);
    }

    @Override
    public String toString() {
        return type + "(key=" + key.length + "B, value=" + value.length + "B, metadata=" + metadata.length + "B)";
    }
}
