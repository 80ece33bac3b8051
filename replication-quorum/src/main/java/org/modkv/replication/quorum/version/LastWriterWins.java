package org.modkv.replication.quorum.version;

import java.util.Comparator;
import java.util.Optional;

/**
 * How the default GET turns siblings into one answer: the sibling with the highest
 * {@code (timestamp, node id, counter)} wins (timestamps are the coordinators' wall clocks in
 * milliseconds; ties, including clocks that agree to the millisecond, are broken by the dot, so
 * every replica and every coordinator picks the same winner). If the winner is a tombstone the
 * key reads as absent. A pure function of the state: the siblings themselves stay stored, and a
 * sibling-aware read still sees them all. See docs/design/quorum.md, "Resolution".
 */
public final class LastWriterWins {
    /** The order in which a later sibling wins. */
    public static final Comparator<Sibling> ORDER = Comparator.comparingLong(Sibling::timestampMillis)
            .thenComparing(Sibling::dot);

    private LastWriterWins() {
    }

    /** The winning sibling (possibly a tombstone), or empty for a key never written. */
    public static Optional<Sibling> winner(DvvSet state) {
        return state.siblings().stream().max(ORDER);
    }

    /** The value the default GET answers: the winner's, or empty when there is none or it is a tombstone. */
    public static Optional<byte[]> resolve(DvvSet state) {
        return winner(state).filter(s -> !s.isTombstone()).map(Sibling::value);
    }
}
