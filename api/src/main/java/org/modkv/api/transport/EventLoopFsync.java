package org.modkv.api.transport;

import java.io.FileDescriptor;

/**
 * An event loop's way to fsync a file without blocking: the fsync runs in the kernel while the
 * loop goes on serving its connections, and its completion comes back on the loop (with
 * io_uring, an {@code IORING_OP_FSYNC} whose completion the loop reaps with its socket events).
 *
 * <p><b>How it travels.</b> A transport passes its loop's instance with the end of every burst,
 * {@link RequestHandler#endOfBurst(EventLoopFsync)} (usually through {@link EndOfBurstNotice}),
 * or {@link #NONE} if its loops cannot fsync this way. The kernel hands it on, through
 * replication, to {@link org.modkv.api.storage.StorageEngine#endOfBurst(EventLoopFsync)}.
 * Storage that commits the burst's writes there may start their fsync with it instead of
 * blocking the loop, so the loop reads and writes the next requests while the disk works.
 * Storage that does not may ignore it.
 *
 * <p><b>Threading.</b> Called only on the event loop it belongs to: during the
 * {@code endOfBurst} call it came with, or from a {@link Done} it reported. Storage may keep
 * it for that use only.
 */
public interface EventLoopFsync {
    /** Told, on the event loop, that an fsync started with {@link #startDataSync} has returned. */
    @FunctionalInterface
    interface Done {
        /**
         * @param tag the caller's tag given to {@link #startDataSync}
         * @param errno 0 if the fsync succeeded, the {@code errno} it failed with, or
         *              {@link #NOT_RUN} if it never ran (the loop is closing): then the caller must
         *              fsync by itself
         */
        void fsynced(int tag, int errno);
    }

    /** {@link Done#fsynced}'s {@code errno} for an fsync that never ran. */
    int NOT_RUN = -1;

    /**
     * What a thread that cannot fsync without blocking passes: it starts nothing, so storage
     * blocks in its own fsyncs. Storage may recognise it and not prepare an fsync for it at all.
     */
    EventLoopFsync NONE = (file, tag, done) -> false;

    /**
     * Starts an {@code fdatasync} of the file open as {@code file}; {@code done} runs on this
     * event loop when it has returned. Returns {@code false} if none could be started (the loop is
     * closing, or too many are in flight): then the caller fsyncs by itself.
     *
     * @param file an open descriptor of the file; it must stay open until {@code done} runs
     */
    boolean startDataSync(FileDescriptor file, int tag, Done done);
}
