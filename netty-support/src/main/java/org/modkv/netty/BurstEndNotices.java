package org.modkv.netty;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.modkv.api.transport.EndOfBurstNotice;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.api.transport.RequestHandler;

/**
 * The {@link EndOfBurstNotice} of each event loop of a transport's worker group: it tells the
 * kernel, once the loop's current pass is over ({@code executeAfterEventLoopIteration}), that
 * the pass submitted writes, and passes the loop's {@link EventLoopFsync} along: on io_uring
 * loops, when the transport asks for it, one that fsyncs on the loop's own ring; otherwise
 * {@link EventLoopFsync#NONE}.
 *
 * <p>Thread-safe; each notice is then used on its own loop only.
 */
public final class BurstEndNotices {
    private final RequestHandler kernel;
    private final Map<EventLoop, EventLoopFsync> loopFsyncs;
    private final Map<EventLoop, EndOfBurstNotice> notices = new ConcurrentHashMap<>();

    private BurstEndNotices(RequestHandler kernel, Map<EventLoop, EventLoopFsync> loopFsyncs) {
        this.kernel = kernel;
        this.loopFsyncs = loopFsyncs;
    }

    /**
     * The notices of {@code workers}' loops.
     *
     * @param io the backend the loops run on
     * @param asyncFsync whether the loops offer storage fsyncs on their ring (a transport's
     *     {@code *.io.async.fsync}); only io_uring loops can, others pass {@code NONE}
     * @param kernel told of the end of each pass with writes
     */
    public static BurstEndNotices forGroup(EventLoopGroup workers, NettyIo io, boolean asyncFsync, RequestHandler kernel) {
        Objects.requireNonNull(kernel, "kernel");
        Map<EventLoop, EventLoopFsync> installed = new HashMap<>();
        if (io == NettyIo.IO_URING && asyncFsync) {
            for (EventExecutor loop : workers) {
                installed.put((EventLoop) loop, IoUringFsync.install((IoEventLoop) loop));
            }
        }
        return new BurstEndNotices(kernel, Map.copyOf(installed));
    }

    /** The notice of {@code loop}'s connections; the same one on every call. */
    public EndOfBurstNotice forLoop(EventLoop loop) {
        return notices.computeIfAbsent(loop, l -> new EndOfBurstNotice(afterPass(l), kernel,
                loopFsyncs.getOrDefault(l, EventLoopFsync.NONE)));
    }

    /** Runs a task on {@code loop} once its current pass over ready connections is over. */
    private static Executor afterPass(EventLoop loop) {
        return loop instanceof SingleThreadEventLoop singleThread ? singleThread::executeAfterEventLoopIteration
                : loop::execute;
    }
}
