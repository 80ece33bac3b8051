package org.modkv.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.EndOfBurstNotice;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.api.transport.RequestHandler;

/**
 * Each event loop's notice ends its passes on the loop itself and carries the loop's own fsync:
 * an io_uring one when the transport asks for it on io_uring loops, {@code NONE} otherwise.
 */
class BurstEndNoticesTest {

    @Test
    void ioUringLoopsAskedForAsyncFsyncsPassEachTheirOwn() throws Exception {
        assumeTrue(NettyIo.IO_URING.unavailability() == null, "io_uring cannot run here");
        List<EventLoopFsync> passed = endOfBurstsOnEachLoop(NettyIo.IO_URING, true);
        assertEquals(2, passed.size());
        assertNotSame(EventLoopFsync.NONE, passed.get(0));
        assertNotSame(EventLoopFsync.NONE, passed.get(1));
        assertNotSame(passed.get(0), passed.get(1), "each loop has its own");
    }

    @Test
    void withoutAsyncFsyncOrOnOtherBackendsLoopsPassNone() throws Exception {
        assertEquals(List.of(EventLoopFsync.NONE, EventLoopFsync.NONE), endOfBurstsOnEachLoop(NettyIo.NIO, true));
        if (NettyIo.IO_URING.unavailability() == null) {
            assertEquals(List.of(EventLoopFsync.NONE, EventLoopFsync.NONE),
                    endOfBurstsOnEachLoop(NettyIo.IO_URING, false));
        }
    }

    /** Submits a write on each of two loops and returns the fsync each loop's end of pass carried. */
    private static List<EventLoopFsync> endOfBurstsOnEachLoop(NettyIo io, boolean asyncFsync) throws Exception {
        MultiThreadIoEventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, io.handlerFactory());
        try {
            BlockingQueue<Object[]> ends = new LinkedBlockingQueue<>();
            RequestHandler kernel = (RequestHandler) Proxy.newProxyInstance(BurstEndNoticesTest.class.getClassLoader(),
                    new Class<?>[] {RequestHandler.class}, (proxy, method, args) -> {
                        ends.add(new Object[] {method.getName(), Thread.currentThread(), args[0]});
                        return null;
                    });
            BurstEndNotices notices = BurstEndNotices.forGroup(workers, io, asyncFsync, kernel);
            List<EventLoopFsync> passed = new ArrayList<>();
            for (EventExecutor executor : workers) {
                EventLoop loop = (EventLoop) executor;
                EndOfBurstNotice notice = notices.forLoop(loop);
                assertSame(notice, notices.forLoop(loop), "one notice per loop");
                Thread loopThread = loop.submit(Thread::currentThread).get(30, TimeUnit.SECONDS);
                loop.execute(notice::writeSubmitted);
                Object[] end = ends.poll(30, TimeUnit.SECONDS);
                assertNotNull(end, "the pass was never ended");
                assertEquals("endOfBurst", end[0]);
                assertSame(loopThread, end[1], "the pass ends on its own loop");
                passed.add((EventLoopFsync) end[2]);
            }
            return passed;
        } finally {
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
