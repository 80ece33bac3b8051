package org.modkv.storage.wal;

import java.io.FileDescriptor;
import java.io.IOException;
import org.modkv.api.transport.EventLoopFsync;

/**
 * The fsyncs the {@link FsyncPipeline} runs on event loops' rings ({@link EventLoopFsync}, passed
 * with {@code endOfBurst}) instead of blocking a thread in them: for each, the file's {@link SyncDescriptor}, the index
 * (over all groups) of the first write it does not cover, and when it started. Starting one moves
 * it from the blocking count of {@link FsyncHandOff} to the asynchronous one; when it returns, on
 * the loop that started it, this forces by blocking if the loop could not run it, lets go of the
 * descriptor and hands the outcome, with the loop, to the pipeline ({@link Returned}).
 *
 * <p>Any thread; the slots are guarded by this object. Allocates nothing per fsync.
 */
final class EventLoopFsyncs {
    /** Told, on {@code loop}, that an fsync it ran returned; {@code failure} is null if it succeeded. */
    interface Returned {
        void fsyncReturned(EventLoopFsync loop, long target, long startNs, long endNs, Exception failure);
    }

    private final FsyncHandOff handOff;
    private final Returned returned;
    private final SyncDescriptor[] descriptors = new SyncDescriptor[FsyncHandOff.MAX_IN_FLIGHT];
    private final long[] targets = new long[FsyncHandOff.MAX_IN_FLIGHT];
    private final long[] starts = new long[FsyncHandOff.MAX_IN_FLIGHT];
    /** The loop each fsync runs on, to start the next one on when it returns. */
    private final EventLoopFsync[] loops = new EventLoopFsync[FsyncHandOff.MAX_IN_FLIGHT];
    private final EventLoopFsync.Done done = this::done;
    private long started;

    EventLoopFsyncs(FsyncHandOff handOff, Returned returned) {
        this.handOff = handOff;
        this.returned = returned;
    }

    /**
     * Starts the fsync handed out by {@code handOff}, of {@code file} covering the writes below
     * {@code target}, on {@code loop}. Returns whether it did; if not, the caller forces by
     * blocking, as the fsync is still counted.
     *
     * <p>Called after taking the fsync and before it is counted as returned, so {@code file} is
     * not sealed yet (sealing waits for blocking fsyncs).
     */
    boolean start(DataFile file, long target, EventLoopFsync loop) {
        SyncDescriptor descriptor;
        FileDescriptor fd;
        try {
            descriptor = file.syncDescriptor();
            fd = descriptor == null ? null : descriptor.acquire();
        } catch (IOException e) {
            return false; // the blocking fsync follows, and reports a real problem with the file
        }
        if (fd == null) {
            return false;
        }
        int slot = hold(descriptor, target, loop);
        if (slot >= 0) {
            handOff.movedToAsync();
            if (loop.startDataSync(fd, slot, done)) {
                countStarted();
                return true;
            }
            handOff.movedBackFromAsync();
            release(slot);
        }
        letGo(descriptor);
        return false;
    }

    /** fsyncs started on event loops so far. */
    synchronized long started() {
        return started;
    }

    private synchronized int hold(SyncDescriptor descriptor, long target, EventLoopFsync loop) {
        for (int slot = 0; slot < descriptors.length; slot++) {
            if (descriptors[slot] == null) {
                descriptors[slot] = descriptor;
                targets[slot] = target;
                loops[slot] = loop;
                starts[slot] = System.nanoTime();
                return slot;
            }
        }
        return -1;
    }

    private synchronized void release(int slot) {
        descriptors[slot] = null;
        loops[slot] = null;
    }

    private synchronized void countStarted() {
        started++;
    }

    private void done(int slot, int errno) {
        long end = System.nanoTime();
        SyncDescriptor descriptor;
        long target;
        long start;
        EventLoopFsync loop;
        synchronized (this) {
            descriptor = descriptors[slot];
            target = targets[slot];
            start = starts[slot];
            loop = loops[slot];
            descriptors[slot] = null;
            loops[slot] = null;
        }
        if (descriptor == null) {
            return;
        }
        Exception failure = null;
        try {
            if (errno == EventLoopFsync.NOT_RUN) {
                descriptor.force();
                end = System.nanoTime();
            } else if (errno != 0) {
                failure = new IOException("fdatasync on an event loop's ring failed with errno " + errno);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            letGo(descriptor);
            handOff.asyncReturned();
        }
        returned.fsyncReturned(loop, target, start, end, failure);
    }

    private static void letGo(SyncDescriptor descriptor) {
        try {
            descriptor.returned();
        } catch (IOException e) {
            System.getLogger(EventLoopFsyncs.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot close a data file's fsync descriptor", e);
        }
    }
}
