package org.modkv.api.transport;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Helps a transport keep the {@link RequestHandler#endOfBurst(EventLoopFsync)} contract: one per
 * event loop, told of every write submitted on it ({@link #writeSubmitted()}), it calls
 * {@code endOfBurst} once, at the end of the pass in which the first of them was submitted, with
 * the loop's {@link EventLoopFsync} ({@link EventLoopFsync#NONE} if it has none).
 * {@code afterPass} runs a task on the event loop once its current pass is over (with Netty:
 * {@code SingleThreadEventLoop::executeAfterEventLoopIteration}).
 *
 * <p>Confined to the event loop whose passes it ends.
 */
public final class EndOfBurstNotice implements Runnable {
    private final Executor afterPass;
    private final RequestHandler kernel;
    private final EventLoopFsync loopFsync;
    private boolean scheduled;

    /**
     * @param afterPass runs a task on the loop once its current pass is over
     * @param kernel told of the end of each pass with writes
     * @param loopFsync the loop's way to fsync without blocking, or {@link EventLoopFsync#NONE}
     */
    public EndOfBurstNotice(Executor afterPass, RequestHandler kernel, EventLoopFsync loopFsync) {
        this.afterPass = Objects.requireNonNull(afterPass, "afterPass");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.loopFsync = Objects.requireNonNull(loopFsync, "loopFsync");
    }

    /** A write was submitted in the current pass: ends the pass with {@code endOfBurst}, once. */
    public void writeSubmitted() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        try {
            afterPass.execute(this);
        } catch (RejectedExecutionException e) {
            scheduled = false; // the event loop is shutting down: storage's own writer takes the writes
        }
    }

    /** Ends the pass: calls {@link RequestHandler#endOfBurst(EventLoopFsync)} with the loop's fsync. */
    @Override
    public void run() {
        scheduled = false;
        kernel.endOfBurst(loopFsync);
    }
}
