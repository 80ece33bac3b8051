package org.modkv.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How a transport's server stops: the listening socket, then the connections, then the event
 * loops, each step once the one before is done. Shutting the loops down while the listening
 * socket's close is still under way can leave that socket open (seen with io_uring: the port
 * stayed taken for the life of the process). Asked on one of the server's own event loops it only
 * chains the steps and returns, since that loop must return for them to finish; from any other
 * thread it waits, until a deadline, and notes what did not finish. See
 * docs/design/shutdown.md.
 */
public final class ServerShutdown {
    private ServerShutdown() {
    }

    /** Whether the calling thread is one of the loops of {@code groups}. */
    public static boolean runsOn(EventLoopGroup... groups) {
        for (EventLoopGroup group : groups) {
            for (EventExecutor loop : group) {
                if (loop.inEventLoop()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Closes {@code listener}, then {@code connections}, then shuts {@code acceptor} and
     * {@code workers} down.
     *
     * @param ownThread whether the caller is one of the server's loops: then nothing waits
     * @param deadlineNanos until when ({@link System#nanoTime()}) a caller on another thread waits
     * @param unfinished where a waiting caller notes the steps that did not finish in time
     */
    public static void close(Channel listener, ChannelGroup connections, EventLoopGroup acceptor,
            EventLoopGroup workers, boolean ownThread, long deadlineNanos, List<String> unfinished) {
        Future<?> listenerClosed = listener.close();
        if (ownThread) {
            listenerClosed.addListener(l -> connections.close().addListener(c -> {
                acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }));
            return;
        }
        awaitUntil(deadlineNanos, listenerClosed, "the listening socket", unfinished);
        awaitUntil(deadlineNanos, connections.close(), "the connections", unfinished);
        Future<?> acceptorDown = acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        Future<?> workersDown = workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        awaitUntil(deadlineNanos, acceptorDown, "the acceptor thread", unfinished);
        awaitUntil(deadlineNanos, workersDown, "the I/O threads", unfinished);
    }

    /** Waits for {@code step} until {@code deadlineNanos}; notes {@code what} if it did not finish. */
    public static void awaitUntil(long deadlineNanos, Future<?> step, String what, List<String> unfinished) {
        if (!step.awaitUninterruptibly(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            unfinished.add(what);
        }
    }
}
