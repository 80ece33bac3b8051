package org.modkv.replication.quorum.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.modkv.replication.quorum.replica.Key;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.Dot;
import org.modkv.replication.quorum.version.LastWriterWins;
import org.modkv.replication.quorum.version.Sibling;
import org.modkv.replication.quorum.version.VersionVector;

/**
 * Every write and delete the clients issued: its unique value, its dot, the context it was
 * written with (what it supersedes), and when it was acknowledged. The invariants are checked
 * against it.
 */
final class WriteHistory {
    static final class Op {
        final Key key;
        final String value;
        final Dot dot;
        final VersionVector readContext;
        final long timestampMillis;
        final long startNanos;
        long ackNanos = -1;

        Op(Key key, String value, Dot dot, VersionVector readContext, long timestampMillis, long startNanos) {
            this.key = key;
            this.value = value;
            this.dot = dot;
            this.readContext = readContext;
            this.timestampMillis = timestampMillis;
            this.startNanos = startNanos;
        }

        boolean acknowledged() {
            return ackNanos >= 0;
        }

        @Override
        public String toString() {
            return (value == null ? "delete" : "write " + value) + " of " + key + " as " + dot + " over " + readContext;
        }
    }

    final List<Op> ops = new ArrayList<>();

    Op issued(Key key, String value, Dot dot, VersionVector readContext, long timestampMillis, long startNanos) {
        Op op = new Op(key, value, dot, readContext, timestampMillis, startNanos);
        ops.add(op);
        return op;
    }

    /** Whether some issued write or delete of the same key had seen {@code op} (so may replace it). */
    boolean superseded(Op op) {
        return ops.stream().anyMatch(o -> o != op && o.key.equals(op.key) && o.readContext.covers(op.dot));
    }

    /** The live values of a state. */
    static Set<String> liveValues(DvvSet state) {
        Set<String> values = new TreeSet<>();
        for (Sibling s : state.siblings()) {
            if (!s.isTombstone()) {
                values.add(new String(s.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /**
     * The end-of-run invariants over the converged state of every key: an acknowledged write is
     * still there unless a write or delete that had seen it replaced it; a value that a later
     * write or delete had seen (replaced, or deleted) is not there.
     */
    void checkConverged(java.util.function.Function<Key, DvvSet> finalState) {
        for (Op op : ops) {
            Set<String> live = liveValues(finalState.apply(op.key));
            boolean present = op.value != null && live.contains(op.value);
            if (op.value != null && op.acknowledged() && !present && !superseded(op)) {
                fail("acknowledged " + op + " was lost; the key now holds " + live);
            }
            if (present && superseded(op)) {
                fail("superseded " + op + " came back (resurrected); the key holds " + live);
            }
        }
    }

    /**
     * A read that began at {@code startNanos} and answered {@code result}, with R + W > N and no
     * failures: it has seen every write acknowledged before it began; and if the last write of the
     * key was acknowledged before it began, no other was issued since and it carries the latest
     * timestamp, last-writer-wins answers that write.
     */
    void checkFreshRead(Key key, DvvSet result, long startNanos) {
        Op latest = null;
        for (Op op : ops) {
            if (!op.key.equals(key)) {
                continue;
            }
            if (op.acknowledged() && op.ackNanos < startNanos) {
                assertTrue(result.context().covers(op.dot), "a read missed " + op + " acknowledged before it began: "
                        + result);
                if (op.value != null && !liveValues(result).contains(op.value)) {
                    assertTrue(superseded(op), "a read lost " + op + ": " + result);
                }
            }
            latest = op;
        }
        if (latest != null && latest.acknowledged() && latest.ackNanos < startNanos) {
            Op last = latest;
            boolean uniqueLatest = ops.stream().filter(o -> o.key.equals(key) && o != last)
                    .allMatch(o -> o.timestampMillis < last.timestampMillis);
            if (uniqueLatest) {
                Optional<byte[]> resolved = LastWriterWins.resolve(result);
                assertEquals(Optional.ofNullable(last.value), resolved.map(b -> new String(b, StandardCharsets.UTF_8)),
                        "the read after " + last + " answered " + result);
            }
        }
    }
}
