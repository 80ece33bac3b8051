package org.modkv.api.transport;

import java.io.FileDescriptor;

/**
 * An event loop's way to fsync a file without blocking: the fsync runs in the kernel while the
 * loop goes on serving its connections, and its completion comes back on the loop (with
 * io_uring, an {@code IORING_OP_FSYNC} whose completion the loop reaps with its socket events).
 *
 * <p>A transport whose event loops can do this binds one to each loop's thread
 * ({@link #bindToCurrentThread}); storage that commits writes on the caller's thread (see
 * {@link RequestHandler#endOfBurst()}) asks for the calling thread's ({@link #ofCurrentThread()})
 * and, if there is one, starts its fsync here instead of blocking the loop in it. So the loop
 * reads and writes the next requests while the disk works, and two groups can be in flight at
 * once without waking another thread.
 *
 * <p>All methods but the static ones are called on the loop the instance is bound to.
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
     * Starts an {@code fdatasync} of the file open as {@code file}; {@code done} runs on this
     * event loop when it has returned. Returns {@code false} if none could be started (the loop is
     * closing, or too many are in flight): then the caller fsyncs by itself.
     *
     * @param file an open descriptor of the file; it must stay open until {@code done} runs
     */
    boolean startDataSync(FileDescriptor file, int tag, Done done);

    /** The instance bound to the calling thread, or {@code null}. */
    static EventLoopFsync ofCurrentThread() {
        return EventLoopFsyncBinding.BOUND.get();
    }

    /** Binds {@code fsync} to the calling thread (an event loop's), or unbinds with {@code null}. */
    static void bindToCurrentThread(EventLoopFsync fsync) {
        if (fsync == null) {
            EventLoopFsyncBinding.BOUND.remove();
        } else {
            EventLoopFsyncBinding.BOUND.set(fsync);
        }
    }
}
