package org.modkv.testkit.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Records what clients did, from any number of threads, for {@link LinearizabilityChecker}.
 * Each operation is begun with {@link #invokeRead} or {@link #invokeWrite} just before the
 * request is sent and finished with one of the {@link Pending} methods when its answer (or
 * failure) arrives. An operation never finished (its client or node died) counts as failed:
 * a write with an unknown outcome, or no read at all.
 */
public final class History {
    private final LongSupplier clock;
    private final List<RegisterOperation> operations = new ArrayList<>();
    private final java.util.Set<Pending> outstanding = new java.util.LinkedHashSet<>();

    /** A history timed by {@link System#nanoTime()}. */
    public History() {
        this(System::nanoTime);
    }

    /** A history timed by {@code clock} (e.g. a simulation's). */
    public History(LongSupplier clock) {
        this.clock = clock;
    }

    /** An operation in progress. */
    public final class Pending {
        private final int process;
        private final String key;
        private final RegisterOperation.Kind kind;
        private final String written;
        private final long invoked;

        private Pending(int process, String key, RegisterOperation.Kind kind, String written, long invoked) {
            this.process = process;
            this.key = key;
            this.kind = kind;
            this.written = written;
            this.invoked = invoked;
        }

        private RegisterOperation unknownOutcome() {
            return new RegisterOperation(process, key, kind, written, invoked, RegisterOperation.UNKNOWN);
        }

        /** The write was acknowledged. */
        public void written() {
            finish(this, new RegisterOperation(process, key, kind, written, invoked, clock.getAsLong()));
        }

        /** The read returned {@code value} ({@code null}: not found). */
        public void read(String value) {
            finish(this, new RegisterOperation(process, key, kind, value, invoked, clock.getAsLong()));
        }

        /**
         * The request failed or timed out: a write may still take effect later, so it is kept
         * with an unknown end; a read is dropped.
         */
        public void failed() {
            finish(this, kind == RegisterOperation.Kind.WRITE ? unknownOutcome() : null);
        }
    }

    /** Begins a read of {@code key} by {@code process}. */
    public Pending invokeRead(int process, String key) {
        return begin(new Pending(process, key, RegisterOperation.Kind.READ, null, clock.getAsLong()));
    }

    /** Begins a write of {@code value} ({@code null}: a delete) to {@code key} by {@code process}. */
    public Pending invokeWrite(int process, String key, String value) {
        return begin(new Pending(process, key, RegisterOperation.Kind.WRITE, value, clock.getAsLong()));
    }

    private synchronized Pending begin(Pending pending) {
        outstanding.add(pending);
        return pending;
    }

    private synchronized void finish(Pending pending, RegisterOperation operation) {
        if (outstanding.remove(pending) && operation != null) {
            operations.add(operation);
        }
    }

    /** Everything recorded so far, with writes still outstanding as writes of unknown outcome. */
    public synchronized List<RegisterOperation> operations() {
        List<RegisterOperation> all = new ArrayList<>(operations);
        for (Pending pending : outstanding) {
            if (pending.kind == RegisterOperation.Kind.WRITE) {
                all.add(pending.unknownOutcome());
            }
        }
        return all;
    }
}
