package org.modkv.netty;

import org.modkv.api.transport.EventLoopFsync;

/**
 * The fsyncs an {@link IoUringFsync} has started and not yet reported: each waits under a small slot number that travels with the fsync (with io_uring, in the
 * submission's user data) and comes back with its completion, so finishing one allocates
 * nothing and needs no map. A {@link EventLoopFsync.Done} that throws is logged and does not
 * stop the others.
 *
 * <p>Confined to the event loop, like the {@code EventLoopFsync} that holds it.
 */
final class PendingFsyncs {
    private static final System.Logger LOG = System.getLogger(PendingFsyncs.class.getName());

    private final EventLoopFsync.Done[] dones;
    private final int[] tags;

    /** @param capacity most fsyncs in flight at once */
    PendingFsyncs(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.dones = new EventLoopFsync.Done[capacity];
        this.tags = new int[capacity];
    }

    /**
     * Holds {@code done} and {@code tag} for one more fsync; returns its slot, or -1 if all are
     * taken. Undo with {@link #release} if the fsync is not started after all.
     */
    int hold(int tag, EventLoopFsync.Done done) {
        for (int slot = 0; slot < dones.length; slot++) {
            if (dones[slot] == null) {
                dones[slot] = done;
                tags[slot] = tag;
                return slot;
            }
        }
        return -1;
    }

    /** Frees {@code slot} without telling its caller (the fsync was never started). */
    void release(int slot) {
        dones[slot] = null;
    }

    /** Whether {@code slot} holds an fsync in flight. */
    boolean isHeld(int slot) {
        return slot >= 0 && slot < dones.length && dones[slot] != null;
    }

    /** Frees {@code slot} and tells its caller the fsync returned with {@code errno} (0: it succeeded). */
    void finish(int slot, int errno) {
        EventLoopFsync.Done done = dones[slot];
        if (done == null) {
            return;
        }
        int tag = tags[slot];
        dones[slot] = null;
        try {
            done.fsynced(tag, errno);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "an fsync completion threw; ignoring it", e);
        }
    }

    /** Tells every caller still waiting that its fsync {@linkplain EventLoopFsync#NOT_RUN never ran}. */
    void abandonAll() {
        for (int slot = 0; slot < dones.length; slot++) {
            finish(slot, EventLoopFsync.NOT_RUN);
        }
    }
}
