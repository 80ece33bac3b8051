package org.modkv.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a bulk put. The arrays are read when the request is sent; do not change them
 * until the call returns (or the async future completes).
 */
public record KeyValue(byte[] key, byte[] value) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** An entry from UTF-8 text. */
    public static KeyValue of(String key, String value) {
        return new KeyValue(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && Arrays.equals(kv.key, key) && Arrays.equals(kv.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "KeyValue(" + key.length + "B, " + value.length + "B)";
    }
}
