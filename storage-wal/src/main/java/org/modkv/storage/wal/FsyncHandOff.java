package org.modkv.storage.wal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fsyncs a commit hands out to run outside the {@link CommitTurn} ({@link FsyncPipeline}): how
 * far the fsyncs handed out (or done) cover, the one just handed out, and how many still run.
 * Indexes count writes over all groups. Used by the thread with the turn, except the counts.
 */
final class FsyncHandOff {
    /** Most fsyncs running at once; why two: docs/design/group-commit.md ("fsync outside the turn"). */
    static final int MAX_IN_FLIGHT = 2;

    /** fsyncs a thread runs by blocking in them. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** fsyncs started on an event loop's ring ({@code EventLoopFsync}); they need no open write channel. */
    private final AtomicInteger asyncInFlight = new AtomicInteger();
    /** Writes below this index are covered by an fsync handed out or done. */
    private long coveredUpTo;
    /** The fsync just handed out and not yet taken by the thread with the turn, and the index it covers up to. */
    private DataFile file;
    private long target;

    /** Whether the durable write at {@code index} is covered by no fsync handed out or done. */
    boolean uncovered(long index) {
        return index >= coveredUpTo;
    }

    /**
     * Hands out an fsync of {@code active} covering the writes below {@code endIndex} (written
     * before it starts), if the durable write at {@code lastDurableIndex} needs one, none is
     * waiting to be taken and fewer than {@code MAX_IN_FLIGHT} run. Returns whether it did.
     */
    boolean handOut(DataFile active, long lastDurableIndex, long endIndex) {
        if (file != null || !uncovered(lastDurableIndex) || inFlight.get() + asyncInFlight.get() >= MAX_IN_FLIGHT) {
            return false;
        }
        file = active;
        target = endIndex;
        coveredUpTo = endIndex;
        inFlight.incrementAndGet();
        return true;
    }

    /** The writes below {@code endIndex} are durable already (forced in the turn, or by a roll). */
    void covered(long endIndex) {
        coveredUpTo = Math.max(coveredUpTo, endIndex);
    }

    /** Takes the fsync handed out (its file, or null if none), to run once the turn is left; see {@link #target()}. */
    DataFile take() {
        DataFile taken = file;
        file = null;
        return taken;
    }

    /** The index the last fsync handed out covers up to. */
    long target() {
        return target;
    }

    /** An fsync handed out has returned (or failed). Any thread. */
    void returned() {
        inFlight.decrementAndGet();
    }

    /** The fsync handed out will run asynchronously on an event loop instead of blocking a thread. */
    void movedToAsync() {
        asyncInFlight.incrementAndGet();
        inFlight.decrementAndGet();
    }

    /** The event loop could not start it after all: the fsync handed out blocks a thread again. */
    void movedBackFromAsync() {
        inFlight.incrementAndGet();
        asyncInFlight.decrementAndGet();
    }

    /** An asynchronous fsync has returned (or failed). Any thread. */
    void asyncReturned() {
        asyncInFlight.decrementAndGet();
    }

    /** Whether an asynchronous fsync runs, whose return will complete what it covers and commit what waits. */
    boolean asyncRunning() {
        return asyncInFlight.get() > 0;
    }

    boolean noneRunning() {
        return inFlight.get() == 0 && asyncInFlight.get() == 0;
    }

    /**
     * Waits, holding the turn, until no blocking fsync runs: before the file one forces may be
     * sealed. Asynchronous ones force through a descriptor of their own, which stays open.
     */
    void awaitNoneRunning() {
        while (inFlight.get() > 0) {
            Thread.yield();
        }
    }
}
