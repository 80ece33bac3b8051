package org.modkv.replication.quorum.version;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The replicated state of one key: a dotted version vector set, after Preguiça, Baquero,
 * Almeida et al. ("Dotted Version Vectors", and Riak 2.0's dvvset). It holds a causal
 * {@link VersionVector context} (every write this replica has seen for the key) and the
 * {@link Sibling siblings}: the writes not yet superseded, each tagged with its own {@link Dot}.
 * Every sibling's dot is covered by the context. Immutable.
 *
 * <p><b>Why dots.</b> A plain version vector per value makes a write through server {@code a}
 * with a stale context look newer than a concurrent write through {@code a} it never saw
 * (false dominance, lost update), or, keyed by client, grows with every client. Tagging each
 * value with the dot of the write that made it lets the context stay one entry per coordinating
 * node while each sibling still says exactly which event it is. A write with context {@code C}
 * then removes exactly the siblings whose dot {@code C} covers, so siblings stay bounded by the
 * number of truly concurrent writers rather than exploding under read-modify-write loops.
 *
 * <p><b>Merge</b> ({@link #merge}) keeps a sibling present on both sides, and a sibling present
 * on one side only if the other side's context has not seen its dot (if it has, the other side
 * superseded it). Contexts merge pointwise. This is a join: commutative, associative,
 * idempotent (property-tested in {@code DvvSetPropertiesTest}). See docs/design/quorum.md.
 */
public final class DvvSet {
    private static final DvvSet EMPTY = new DvvSet(VersionVector.empty(), List.of());

    private final VersionVector context;
    private final List<Sibling> siblings;

    private DvvSet(VersionVector context, List<Sibling> siblings) {
        this.context = context;
        this.siblings = siblings;
    }

    /** The state of a key never written. */
    public static DvvSet empty() {
        return EMPTY;
    }

    /**
     * A state from its parts, as a decoder finds them.
     *
     * @throws IllegalArgumentException if two siblings share a dot or a sibling's dot is not
     *     covered by the context
     */
    public static DvvSet of(VersionVector context, List<Sibling> siblings) {
        List<Sibling> sorted = new ArrayList<>(siblings);
        sorted.sort((x, y) -> x.dot().compareTo(y.dot()));
        for (int i = 0; i < sorted.size(); i++) {
            Dot dot = sorted.get(i).dot();
            if (!context.covers(dot)) {
                throw new IllegalArgumentException("sibling " + dot + " is not covered by the context " + context);
            }
            if (i > 0 && sorted.get(i - 1).dot().equals(dot)) {
                throw new IllegalArgumentException("two siblings share the dot " + dot);
            }
        }
        return sorted.isEmpty() && context.isEmpty() ? EMPTY
                : new DvvSet(context, Collections.unmodifiableList(sorted));
    }

    /** Every write this replica has seen for the key: the opaque context a sibling-aware read returns. */
    public VersionVector context() {
        return context;
    }

    /** The concurrent versions, tombstones included, sorted by dot. */
    public List<Sibling> siblings() {
        return siblings;
    }

    /** Whether the key was never written here (no siblings). */
    public boolean isEmpty() {
        return siblings.isEmpty();
    }

    /** Whether every sibling is a tombstone (and there is one): the key reads as deleted. */
    public boolean isTombstoneOnly() {
        if (siblings.isEmpty()) {
            return false;
        }
        for (Sibling s : siblings) {
            if (!s.isTombstone()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The dot a write coordinated by {@code node} gets: its counter is above {@code counterFloor},
     * above every counter of {@code node} this state or {@code readContext} has seen. Callers pass
     * a node-wide durable counter as the floor so that a dot is never issued twice, not even after
     * the key was collected (see docs/design/quorum.md, "Tombstone collection").
     */
    public Dot nextDot(String node, VersionVector readContext, long counterFloor) {
        long top = Math.max(counterFloor, Math.max(context.get(node), readContext.get(node)));
        return new Dot(node, top + 1);
    }

    /**
     * The state after a write coordinated by {@code node}: the siblings {@code readContext} has
     * seen are superseded; the new sibling ({@code value}, or a tombstone when {@code null}) gets
     * {@link #nextDot}; the context grows by the read context and the new dot. Siblings the
     * writer had not seen stay: they are concurrent with it.
     */
    public DvvSet update(VersionVector readContext, byte[] value, String node, long counterFloor, long timestampMillis) {
        Objects.requireNonNull(readContext, "readContext");
        Dot dot = nextDot(node, readContext, counterFloor);
        List<Sibling> kept = new ArrayList<>(siblings.size() + 1);
        for (Sibling s : siblings) {
            if (!readContext.covers(s.dot())) {
                kept.add(s);
            }
        }
        kept.add(value == null ? Sibling.tombstone(dot, timestampMillis) : Sibling.value(dot, timestampMillis, value));
        kept.sort((x, y) -> x.dot().compareTo(y.dot()));
        return new DvvSet(context.merge(readContext).with(dot), Collections.unmodifiableList(kept));
    }

    /** The join of two replicas' states of one key; see the class comment. */
    public DvvSet merge(DvvSet other) {
        if (other == this || other.isEmpty() && context.dominates(other.context)) {
            return this;
        }
        if (isEmpty() && other.context.dominates(context)) {
            return other;
        }
        List<Sibling> merged = new ArrayList<>(siblings.size() + other.siblings.size());
        Iterator<Sibling> a = siblings.iterator();
        Iterator<Sibling> b = other.siblings.iterator();
        Sibling x = a.hasNext() ? a.next() : null;
        Sibling y = b.hasNext() ? b.next() : null;
        while (x != null || y != null) {
            int c = x == null ? 1 : y == null ? -1 : x.dot().compareTo(y.dot());
            if (c == 0) {
                merged.add(sameDot(x, y));
                x = a.hasNext() ? a.next() : null;
                y = b.hasNext() ? b.next() : null;
            } else if (c < 0) {
                if (!other.context.covers(x.dot())) {
                    merged.add(x);
                }
                x = a.hasNext() ? a.next() : null;
            } else {
                if (!context.covers(y.dot())) {
                    merged.add(y);
                }
                y = b.hasNext() ? b.next() : null;
            }
        }
        DvvSet result = new DvvSet(context.merge(other.context), Collections.unmodifiableList(merged));
        return result.equals(this) ? this : result;
    }

    /** Whether this state has seen every write {@code other} has (so merging it in changes nothing). */
    public boolean descends(DvvSet other) {
        return context.dominates(other.context);
    }

    /**
     * One dot names one write, so both copies should be equal; should they ever differ (a bug or a
     * dot reused after lost state) keep the later timestamp, then the larger bytes, so that every
     * replica picks the same one.
     */
    private static Sibling sameDot(Sibling x, Sibling y) {
        if (x.equals(y)) {
            return x;
        }
        int c = Long.compare(x.timestampMillis(), y.timestampMillis());
        if (c == 0) {
            c = Boolean.compare(y.isTombstone(), x.isTombstone());
        }
        if (c == 0) {
            c = Arrays.compareUnsigned(x.value() == null ? new byte[0] : x.value(),
                    y.value() == null ? new byte[0] : y.value());
        }
        return c >= 0 ? x : y;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DvvSet d && context.equals(d.context) && siblings.equals(d.siblings);
    }

    @Override
    public int hashCode() {
        return context.hashCode() * 31 + siblings.hashCode();
    }

    @Override
    public String toString() {
        return "DvvSet" + context + siblings;
    }
}
