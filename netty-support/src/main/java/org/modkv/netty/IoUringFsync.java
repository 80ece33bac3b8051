package org.modkv.netty;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.PlatformDependent;
import java.io.FileDescriptor;
import org.modkv.api.transport.EventLoopFsync;

/**
 * An io_uring event loop's {@link EventLoopFsync}: submits {@code IORING_OP_FSYNC} with
 * {@code IORING_FSYNC_DATASYNC} on the loop's own ring, through a handle registered with the
 * loop, and tells the caller when the loop reaps the completion along with its socket events.
 * The kernel runs the fsync on one of its io_uring workers, so the loop never blocks in it. The
 * loop's {@link BurstEndNotices notice} passes it with the end of each of the loop's bursts.
 *
 * <p>Nothing is allocated per fsync: each slot keeps its submission for the descriptor it last
 * forced. The descriptor's number is read from {@link FileDescriptor} through Netty's
 * {@code PlatformDependent} (the JDK offers no public accessor); where Netty cannot read fields
 * that way, no loop offers this and storage blocks in its fsyncs as before.
 *
 * <p>Loop thread only, except {@link #install}.
 */
final class IoUringFsync implements IoUringIoHandle, EventLoopFsync {
    private static final System.Logger LOG = System.getLogger(IoUringFsync.class.getName());
    /** Most fsyncs in flight from one loop (storage runs at most two at once). */
    static final int MAX_IN_FLIGHT = 4;
    private static final byte IORING_OP_FSYNC = 3;
    private static final int IORING_FSYNC_DATASYNC = 1;
    /** Where {@link FileDescriptor} keeps the descriptor's number, or -1 if Netty cannot read fields. */
    private static final long FD_OFFSET = fdOffset();

    private final PendingFsyncs pending = new PendingFsyncs(MAX_IN_FLIGHT);
    private final IoUringIoOps[] submissions = new IoUringIoOps[MAX_IN_FLIGHT];
    private final int[] submissionFds = new int[MAX_IN_FLIGHT];
    private volatile IoRegistration registration;
    private boolean closed;

    private IoUringFsync() {
    }

    /**
     * Registers a new instance with {@code loop} and returns it once registered, for the loop's
     * end-of-burst notice; returns {@link EventLoopFsync#NONE} where descriptors' numbers
     * cannot be read or the loop refuses the handle. Waits for the loop: not on its own thread.
     */
    static EventLoopFsync install(IoEventLoop loop) {
        if (FD_OFFSET < 0) {
            return EventLoopFsync.NONE;
        }
        IoUringFsync fsync = new IoUringFsync();
        Future<IoRegistration> registered = loop.register(fsync).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            LOG.log(System.Logger.Level.WARNING, "cannot register the io_uring fsync handle with an event "
                    + "loop; storage fsyncs block that loop instead", registered.cause());
            return EventLoopFsync.NONE;
        }
        fsync.registration = registered.getNow();
        return fsync;
    }

    private static long fdOffset() {
        if (!PlatformDependent.hasUnsafe()) {
            return -1;
        }
        try {
            return PlatformDependent.objectFieldOffset(FileDescriptor.class.getDeclaredField("fd"));
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "cannot read file descriptors' numbers; storage fsyncs block the event "
                    + "loop", e);
            return -1;
        }
    }

    @Override
    public boolean startDataSync(FileDescriptor file, int tag, Done done) {
        IoRegistration registration = this.registration;
        if (closed || registration == null || !registration.isValid()) {
            return false;
        }
        int fd = PlatformDependent.getInt(file, FD_OFFSET);
        if (fd < 0) {
            return false;
        }
        int slot = pending.hold(tag, done);
        if (slot < 0) {
            return false;
        }
        if (submissions[slot] == null || submissionFds[slot] != fd) {
            submissions[slot] = new IoUringIoOps(IORING_OP_FSYNC, (byte) 0, (short) 0, fd, 0L, 0L, 0,
                    IORING_FSYNC_DATASYNC, (short) slot, (short) 0, (short) 0, 0, 0L);
            submissionFds[slot] = fd;
        }
        try {
            registration.submit(submissions[slot]);
        } catch (RuntimeException e) {
            pending.release(slot); // never submitted: the caller forces by itself
            return false;
        }
        return true;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent ioEvent) {
        IoUringIoEvent event = (IoUringIoEvent) ioEvent;
        if (event.opcode() == IORING_OP_FSYNC && pending.isHeld(event.data())) {
            pending.finish(event.data(), event.res() >= 0 ? 0 : -event.res());
        }
    }

    /** The loop is closing: fsyncs still out are reported as never run, so their callers force by themselves. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pending.abandonAll();
        }
    }
}
