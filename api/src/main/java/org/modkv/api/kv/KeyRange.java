package org.modkv.api.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * A request for keys in order (etcd's range): the keys {@code >= start} and {@code < end}, in
 * unsigned byte order, at most {@code limit} of them. A page ends with where the next one starts
 * ({@link KeyPage#next()}), so a listing resumes where it stopped: keys written meanwhile behind
 * the cursor are not seen, keys ahead of it are, and no key comes twice in one pass.
 *
 * @param start the first key that may be returned (empty: from the first key)
 * @param end the key where the range stops, exclusive (empty: to the last key)
 * @param limit at most this many entries, at least 1
 * @param keysOnly whether values are left out of the entries (they are still read, to skip expired keys)
 */
public record KeyRange(byte[] start, byte[] end, int limit, boolean keysOnly) {
    private static final byte[] NONE = new byte[0];

    public KeyRange {
        start = start == null ? NONE : start;
        end = end == null ? NONE : end;
        if (limit < 1) {
            throw new IllegalArgumentException("a range limit is at least 1, not " + limit);
        }
    }

    /** The keys that start with {@code prefix} (all keys when it is empty). */
    public static KeyRange prefix(byte[] prefix, int limit, boolean keysOnly) {
        return new KeyRange(prefix, prefixEnd(prefix), limit, keysOnly);
    }

    /** This range from {@code next} on (a cursor from {@link KeyPage#next()}). */
    public KeyRange from(byte[] next) {
        return new KeyRange(next, end, limit, keysOnly);
    }

    /** Whether {@code key} lies before the end of the range. */
    public boolean beforeEnd(byte[] key) {
        return end.length == 0 || Arrays.compareUnsigned(key, end) < 0;
    }

    /**
     * The first key after every key that starts with {@code prefix}: the prefix with its last
     * byte below 0xFF incremented and what follows dropped; empty (no end) when there is none.
     */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return NONE;
    }

    /** The smallest key after {@code key}: the key with a zero byte appended. */
    public static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange r && r.limit == limit && r.keysOnly == keysOnly && Arrays.equals(r.start, start)
                && Arrays.equals(r.end, end);
    }

    @Override
    public int hashCode() {
        return Objects.hash(limit, keysOnly, Arrays.hashCode(start), Arrays.hashCode(end));
    }

    @Override
    public String toString() {
        return "KeyRange(start=" + start.length + "B, end=" + end.length + "B, limit=" + limit + ")";
    }
}
