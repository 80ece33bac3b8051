package org.modkv.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** One hit of an index query; lists of hits are ordered best first. Exact matches score 1.0. */
public record SearchHit(byte[] key, double score) {
    public SearchHit {
        Objects.requireNonNull(key, "key");
    }

    /** The key decoded as UTF-8. */
    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchHit h && Arrays.equals(h.key, key) && Double.compare(h.score, score) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Double.hashCode(score);
    }

    @Override
    public String toString() {
        return "SearchHit(" + keyAsString() + ", " + score + ")";
    }
}
