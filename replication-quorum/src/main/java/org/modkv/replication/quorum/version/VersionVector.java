package org.modkv.replication.quorum.version;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A causal context in compact form: for each node, the highest counter seen, standing for every
 * event of that node up to it ({@code {a:3}} = events a:1, a:2, a:3 of this key). Immutable; a
 * node that is absent has counter 0. This is the opaque context a sibling-aware read hands out
 * and a write hands back ({@link ContextCodec}).
 */
public final class VersionVector {
    private static final VersionVector EMPTY = new VersionVector(new TreeMap<>());

    private final SortedMap<String, Long> counters;

    private VersionVector(SortedMap<String, Long> counters) {
        this.counters = Collections.unmodifiableSortedMap(counters);
    }

    /** The empty context: has seen nothing (a blind write). */
    public static VersionVector empty() {
        return EMPTY;
    }

    /** A vector of the given counters; zero counters are dropped, negative ones refused. */
    public static VersionVector of(Map<String, Long> counters) {
        TreeMap<String, Long> copy = new TreeMap<>();
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            Objects.requireNonNull(e.getKey(), "node");
            long c = e.getValue();
            if (c < 0) {
                throw new IllegalArgumentException("a version vector counter is never negative, got " + c
                        + " for node " + e.getKey());
            }
            if (c > 0) {
                copy.put(e.getKey(), c);
            }
        }
        return copy.isEmpty() ? EMPTY : new VersionVector(copy);
    }

    /** The counter of {@code node} (0 if absent). */
    public long get(String node) {
        return counters.getOrDefault(node, 0L);
    }

    /** Whether this context has seen {@code dot}. */
    public boolean covers(Dot dot) {
        return get(dot.node()) >= dot.counter();
    }

    /** Whether this context has seen every event {@code other} has. */
    public boolean dominates(VersionVector other) {
        for (Map.Entry<String, Long> e : other.counters.entrySet()) {
            if (get(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The pointwise maximum: every event either has seen. */
    public VersionVector merge(VersionVector other) {
        if (other.counters.isEmpty() || dominates(other)) {
            return this;
        }
        if (other.dominates(this)) {
            return other;
        }
        TreeMap<String, Long> merged = new TreeMap<>(counters);
        other.counters.forEach((node, c) -> merged.merge(node, c, Math::max));
        return new VersionVector(merged);
    }

    /** This context with {@code dot} added (its counter raised to the dot's). */
    public VersionVector with(Dot dot) {
        if (covers(dot)) {
            return this;
        }
        TreeMap<String, Long> more = new TreeMap<>(counters);
        more.put(dot.node(), dot.counter());
        return new VersionVector(more);
    }

    /** Node id to counter, sorted by node id. */
    public SortedMap<String, Long> counters() {
        return counters;
    }

    public boolean isEmpty() {
        return counters.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && counters.equals(v.counters);
    }

    @Override
    public int hashCode() {
        return counters.hashCode();
    }

    @Override
    public String toString() {
        return counters.toString();
    }
}
