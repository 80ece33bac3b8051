package org.modkv.storage.wal;

import java.io.IOException;
import java.util.List;
import org.modkv.api.transport.EventLoopFsync;

/**
 * Runs the fsyncs of the write path. With {@code wal.sync=always}, a commit hands an fsync out
 * ({@link FsyncHandOff}) and the thread that wrote the group runs it after leaving the
 * {@link CommitTurn}: blocking in it, or starting it on the caller's event loop's ring
 * ({@link EventLoopFsyncs}) and returning at once. Meanwhile another thread can write the next
 * group and start its own fsync, up to {@code FsyncHandOff.MAX_IN_FLIGHT} at once. When one
 * returns, the thread it returned on takes the turn back, records it and tells the agent
 * ({@link Returned}), then runs the next fsync the agent handed out meanwhile. Other modes force
 * in the turn ({@link #forceInTurn}). Why two at once, and the timings behind it:
 * docs/design/group-commit.md.
 */
final class FsyncPipeline {
    /** Told, holding the turn, that an fsync outside it returned. */
    interface Returned {
        /**
         * @param target the index (over all groups) of the first write the fsync does not cover
         * @param failure why it failed, or {@code null}
         * @param commitMore whether the caller may write what waits and hand out the next fsync
         */
        void fsyncReturned(long target, long endNs, Exception failure, boolean commitMore);
    }

    private final DataFiles files;
    private final CommitTurn turn;
    private final Runnable wakeAgent;
    private final Returned returned;
    private final FsyncHandOff handOff = new FsyncHandOff();
    private final EventLoopFsyncs onEventLoops = new EventLoopFsyncs(handOff, this::returnedOnEventLoop);

    /** @param wakeAgent wakes the agent's own thread, for work left behind on an event loop */
    FsyncPipeline(DataFiles files, CommitTurn turn, Runnable wakeAgent, Returned returned) {
        this.files = files;
        this.turn = turn;
        this.wakeAgent = wakeAgent;
        this.returned = returned;
    }

    /** How far the fsyncs handed out cover, and how many run. */
    FsyncHandOff handOff() {
        return handOff;
    }

    /** fsyncs started on event loops' rings so far. */
    long startedOnEventLoops() {
        return onEventLoops.started();
    }

    /**
     * Runs {@code file}'s fsync, which the last cycle handed out to cover the writes below
     * {@code target} and its thread took before leaving the turn: on {@code loop}'s ring if given
     * and able, else blocking, up to {@code maxForces} fsyncs in a row while durable writes keep
     * waiting. Returns how many it ran or started.
     */
    int run(DataFile file, long target, int maxForces, EventLoopFsync loop) {
        if (file == null) {
            return 0;
        }
        if (loop != null && onEventLoops.start(file, target, loop)) {
            return 1;
        }
        return forceOutsideTurn(file, target, maxForces);
    }

    /**
     * Forces {@code file} without the turn, then takes the turn back to report it, and forces the
     * next one handed out meanwhile, up to {@code maxForces} in all. Returns how many it ran.
     */
    private int forceOutsideTurn(DataFile file, long target, int maxForces) {
        int forces = 0;
        while (file != null) {
            forces++;
            long start = System.nanoTime();
            Exception failure = null;
            try {
                file.force();
            } catch (IOException | RuntimeException e) {
                failure = e;
            } finally {
                handOff.returned(); // even on an Error: closing waits for the count
            }
            long end = System.nanoTime();
            turn.take();
            DataFile next;
            long nextTarget;
            try {
                files.recordFsync(end - start);
                returned.fsyncReturned(target, end, failure, forces < maxForces);
            } finally {
                next = handOff.take();
                nextTarget = handOff.target();
                turn.release();
            }
            file = next;
            target = nextTarget;
        }
        return forces;
    }

    /**
     * An fsync started on an event loop's ring has returned, on that loop: reports it, then starts
     * the next one handed out meanwhile on the same loop (or forces it there if the loop cannot).
     */
    private void returnedOnEventLoop(EventLoopFsync loop, long target, long startNs, long endNs, Exception failure) {
        turn.take();
        DataFile next;
        long nextTarget;
        try {
            files.recordFsync(endNs - startNs);
            returned.fsyncReturned(target, endNs, failure, true);
        } finally {
            next = handOff.take();
            nextTarget = handOff.target();
            turn.release();
        }
        if (next != null && !onEventLoops.start(next, nextTarget, loop)) {
            forceOutsideTurn(next, nextTarget, 1);
        }
        if (turn.workLeftBehind()) {
            wakeAgent.run();
        }
    }

    /**
     * Forces, holding the turn, the active segment if it holds unforced writes and every open
     * durable log ({@code batch}, or {@code always} with durable logs open).
     */
    void forceInTurn(RecordAppender appender, List<DurableLogFiles> logs) throws IOException {
        if (appender.activeDirty()) {
            files.forceActive();
            appender.activeForced();
        }
        for (int i = 0; i < logs.size(); i++) {
            DurableLogFiles log = logs.get(i);
            long start = System.nanoTime();
            if (log.force()) {
                files.recordFsync(System.nanoTime() - start);
            }
        }
    }
}
