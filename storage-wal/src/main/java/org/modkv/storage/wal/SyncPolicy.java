package org.modkv.storage.wal;

/**
 * When the group's durable writes get their fsync ({@code wal.sync}, {@code wal.sync.interval.ms}):
 * asked once per commit, after the group is written, what to do next. Used by the thread with the
 * {@link CommitTurn}; allocates nothing.
 */
final class SyncPolicy {
    /** What a commit does about fsync after writing the group. */
    enum Step {
        /** {@code none}: nothing is forced on the write path; the writes complete once written. */
        COMPLETE_UNFORCED,
        /** No durable write waits for an fsync, or a {@code batch} interval has not run out yet. */
        WAIT,
        /**
         * {@code always}, no durable log open: hand an fsync of the active segment to run outside
         * the turn, so that another thread can write the next group meanwhile.
         */
        FSYNC_OUTSIDE_TURN,
        /** fsync the active segment and the open durable logs now, holding the turn. */
        FSYNC_IN_TURN
    }

    private final SyncMode mode;
    private final long intervalNs;
    private long lastFsyncNs;

    SyncPolicy(SyncMode mode, long intervalMs) {
        this.mode = mode;
        this.intervalNs = intervalMs * 1_000_000L;
    }

    /**
     * The next step for a group just written.
     *
     * @param durableWaiting whether a durable write of the group waits for an fsync that covers it
     * @param logsOpen whether durable logs are open (their files are forced with the segment's)
     * @param closing whether the engine is closing (a {@code batch} fsync is then due at once)
     */
    Step next(boolean durableWaiting, boolean logsOpen, boolean closing, long nowNs) {
        if (mode == SyncMode.NONE) {
            return Step.COMPLETE_UNFORCED;
        }
        if (!durableWaiting) {
            return Step.WAIT;
        }
        if (mode == SyncMode.ALWAYS && !logsOpen) {
            return Step.FSYNC_OUTSIDE_TURN;
        }
        boolean due = mode == SyncMode.ALWAYS || closing || nowNs - lastFsyncNs >= intervalNs;
        return due ? Step.FSYNC_IN_TURN : Step.WAIT;
    }

    /** An fsync of the group ended (or the agent started) at {@code nowNs}: a {@code batch} interval starts. */
    void fsynced(long nowNs) {
        lastFsyncNs = nowNs;
    }

    /** Whether durable writes wait for an fsync at all (not {@code none}). */
    boolean forcesDurableWrites() {
        return mode != SyncMode.NONE;
    }

    /** Whether every group with a durable write gets its own fsync at once ({@code always}). */
    boolean forcesEachGroup() {
        return mode == SyncMode.ALWAYS;
    }
}
