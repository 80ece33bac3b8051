package org.modkv.transport.resp;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import java.util.concurrent.RejectedExecutionException;
import org.modkv.api.transport.RequestHandler;

/**
 * Tells the kernel, at the end of every event-loop pass in which a connection of this loop
 * submitted a write, that the pass has ended ({@link RequestHandler#endOfBurst()}), so that
 * storage can commit the pass's writes with one write and fsync on this thread and the replies
 * go out in the same pass, as in Redis. One per event loop; confined to it.
 */
final class BurstEnd implements Runnable {
    private final EventLoop loop;
    private final RequestHandler kernel;
    private boolean scheduled;

    BurstEnd(EventLoop loop, RequestHandler kernel) {
        this.loop = loop;
        this.kernel = kernel;
    }

    /** A write was submitted in this pass: ends the pass with {@code endOfBurst}, once. Call on the loop. */
    void writeSubmitted() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        try {
            if (loop instanceof SingleThreadEventLoop singleThread) {
                singleThread.executeAfterEventLoopIteration(this);
            } else {
                loop.execute(this);
            }
        } catch (RejectedExecutionException e) {
            scheduled = false; // shutting down: storage's own writer takes the writes
        }
    }

    @Override
    public void run() {
        scheduled = false;
        kernel.endOfBurst();
    }
}
