package org.modkv.api.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EndOfBurstNoticeTest {
    private final AtomicInteger endOfBursts = new AtomicInteger();
    /** Only endOfBurst is called; anything else would be a bug in the notice. */
    private final RequestHandler kernel = (RequestHandler) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {RequestHandler.class}, (proxy, method, args) -> {
                if (!method.getName().equals("endOfBurst")) {
                    throw new AssertionError("unexpected call " + method.getName());
                }
                endOfBursts.incrementAndGet();
                return null;
            });

    @Test
    void manyWritesInOnePassEndItOnceAndTheNextPassAgain() {
        List<Runnable> afterPass = new ArrayList<>();
        EndOfBurstNotice notice = new EndOfBurstNotice(afterPass::add, kernel);
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
    }

    @Test
    void aLoopThatRefusesTasksIsAskedAgainNextTime() {
        AtomicInteger offered = new AtomicInteger();
        EndOfBurstNotice notice = new EndOfBurstNotice(task -> {
            offered.incrementAndGet();
            throw new RejectedExecutionException("shutting down");
        }, kernel);
        notice.writeSubmitted();
        notice.writeSubmitted();
        assertEquals(2, offered.get());
        assertEquals(0, endOfBursts.get());
    }
}
