package org.modkv.api.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * One hit of an index query. Results are ordered best first; for exact-match queries every
 * score is 1.0.
 */
public record ScoredKey(byte[] key, double score) {
    public ScoredKey {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoredKey s && Arrays.equals(s.key, key) && Double.compare(s.score, score) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Double.hashCode(score);
    }

    @Override
    public String toString() {
        return "ScoredKey(" + key.length + "B, " + score + ")";
    }
}
