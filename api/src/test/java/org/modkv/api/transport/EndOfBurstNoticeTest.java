package org.modkv.api.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EndOfBurstNoticeTest {
    private final AtomicInteger endOfBursts = new AtomicInteger();
    private final List<Object> loopFsyncsPassed = new ArrayList<>();
    private final EventLoopFsync loopFsync = (file, tag, done) -> false;
    /** Only endOfBurst is called; anything else would be a bug in the notice. */
    private final RequestHandler kernel = (RequestHandler) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {RequestHandler.class}, (proxy, method, args) -> {
                if (!method.getName().equals("endOfBurst")) {
                    throw new AssertionError("unexpected call " + method.getName());
                }
                endOfBursts.incrementAndGet();
                loopFsyncsPassed.add(args[0]);
                return null;
            });

    @Test
    void manyWritesInOnePassEndItOnceAndTheNextPassAgainWithTheLoopsFsync() {
        List<Runnable> afterPass = new ArrayList<>();
        EndOfBurstNotice notice = new EndOfBurstNotice(afterPass::add, kernel, loopFsync);
        notice.writeSubmitted();
        notice.writeSubmitted();
        notice.writeSubmitted();
        assertEquals(1, afterPass.size(), "one task per pass");
        assertEquals(0, endOfBursts.get(), "nothing before the pass ends");
        afterPass.remove(0).run();
        assertEquals(1, endOfBursts.get());
        notice.writeSubmitted();
        assertEquals(1, afterPass.size(), "the next pass is ended again");
        afterPass.remove(0).run();
        assertEquals(2, endOfBursts.get());
        assertEquals(List.of(loopFsync, loopFsync), loopFsyncsPassed, "each end of a pass carries the loop's fsync");
    }

    @Test
    void aLoopThatRefusesTasksIsAskedAgainNextTime() {
        AtomicInteger offered = new AtomicInteger();
        EndOfBurstNotice notice = new EndOfBurstNotice(task -> {
            offered.incrementAndGet();
            throw new RejectedExecutionException("shutting down");
        }, kernel, EventLoopFsync.NONE);
        notice.writeSubmitted();
        notice.writeSubmitted();
        assertEquals(2, offered.get());
        assertEquals(0, endOfBursts.get());
    }

    @Test
    void aLoopWithoutAnFsyncMustSaySoWithNone() {
        assertThrows(NullPointerException.class, () -> new EndOfBurstNotice(Runnable::run, kernel, null));
        EndOfBurstNotice notice = new EndOfBurstNotice(Runnable::run, kernel, EventLoopFsync.NONE);
        notice.writeSubmitted();
        assertEquals(List.of(EventLoopFsync.NONE), loopFsyncsPassed);
        assertFalse(EventLoopFsync.NONE.startDataSync(null, 1, (tag, errno) -> { }), "NONE starts no fsync");
    }
}
