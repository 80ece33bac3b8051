package org.modkv.storage.wal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The right to run the {@link GroupCommitAgent}'s cycle, held by one thread at a time: the
 * agent's own thread, an event loop committing its burst ({@code wal.caller.commits}), a thread
 * back from an fsync it ran outside the turn, or an event loop whose ring reports an fsync
 * done. Taking it makes the cycle mutually exclusive and publishes the state of the write path
 * (group, buffer, files) from the thread that left it to the thread that takes it next. See
 * docs/design/group-commit.md.
 *
 * <p>Leaving the turn notes whether work is left that only the agent's own thread will pick
 * up (a command, or durable writes no fsync covers and none will), so the leaver can wake it.
 */
final class CommitTurn {
    private final AtomicBoolean held = new AtomicBoolean();
    /** Asked, with the turn still held, whether work is left for the agent's own thread. */
    private final BooleanSupplier workLeft;
    private volatile boolean workLeftBehind;

    CommitTurn(BooleanSupplier workLeft) {
        this.workLeft = workLeft;
    }

    /** Takes the turn if nobody holds it; returns whether it did. */
    boolean tryTake() {
        return held.compareAndSet(false, true);
    }

    /** Takes the turn, yielding while another thread holds it (it holds it for one cycle at most). */
    void take() {
        while (!held.compareAndSet(false, true)) {
            Thread.yield();
        }
    }

    /** Leaves the turn, first noting whether work is left for the agent's own thread. */
    void release() {
        workLeftBehind = workLeft.getAsBoolean();
        held.set(false);
    }

    /** Whether the last thread to leave the turn left work for the agent's own thread. */
    boolean workLeftBehind() {
        return workLeftBehind;
    }
}
