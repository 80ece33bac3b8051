package org.modkv.storage.wal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * How the group-commit agent's thread waits for work with {@code wal.idle.strategy=sleeping}:
 * it parks {@value #BUSY_PARK_MS} ms at a time while anything is in flight (writes waiting for a
 * {@code batch} fsync, a command waiting for fsyncs, records it cannot take yet), because then it
 * must look again by itself, and up to {@value #IDLE_PARK_MS} ms when nothing is, because then
 * whoever brings work wakes it: a writer that is not committing its own bursts unparks it when it
 * offers, and an event loop that commits its own bursts either finishes them or unparks it.
 * Why the long park matters, with the measurements: docs/design/group-commit.md.
 */
final class CommitAgentIdleStrategy implements IdleStrategy {
    static final long BUSY_PARK_MS = 1;
    static final long IDLE_PARK_MS = 20;

    private final BooleanSupplier nothingInFlight;

    CommitAgentIdleStrategy(BooleanSupplier nothingInFlight) {
        this.nothingInFlight = nothingInFlight;
    }

    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            idle();
        }
    }

    @Override
    public void idle() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(
                nothingInFlight.getAsBoolean() ? IDLE_PARK_MS : BUSY_PARK_MS));
    }

    @Override
    public void reset() {
    }

    @Override
    public String alias() {
        return "sleeping";
    }
}
