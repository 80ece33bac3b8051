package org.modkv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.modkv.api.time.Cancellable;

class ThreadSchedulerTest {
    private static final long WAIT_SECONDS = 30;

    @Test
    void runsExecutedTasksInSubmissionOrderOnItsOwnThread() throws Exception {
        try (ThreadScheduler scheduler = new ThreadScheduler("order-test")) {
            List<Integer> order = new ArrayList<>();
            AtomicBoolean allOnSchedulerThread = new AtomicBoolean(true);
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 1000; i++) {
                int n = i;
                scheduler.execute(() -> {
                    order.add(n); // no lock: tasks never run concurrently
                    allOnSchedulerThread.compareAndSet(true, scheduler.isSchedulerThread());
                });
            }
            scheduler.execute(done::countDown);

            assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, order.get(i));
            }
            assertTrue(allOnSchedulerThread.get());
            assertFalse(scheduler.isSchedulerThread());
        }
    }

    @Test
    void neverRunsTwoTasksAtOnce() throws Exception {
        try (ThreadScheduler scheduler = new ThreadScheduler("exclusive-test")) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(200);
            for (int i = 0; i < 100; i++) {
                Runnable task = () -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.yield();
                    running.decrementAndGet();
                    done.countDown();
                };
                scheduler.execute(task);
                scheduler.schedule(0, TimeUnit.MILLISECONDS, task);
            }

            assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, maxRunning.get());
        }
    }

    @Test
    void aThrowingTaskDoesNotStopLaterTasks() throws Exception {
        try (ThreadScheduler scheduler = new ThreadScheduler("throwing-test")) {
            CountDownLatch ran = new CountDownLatch(1);
            scheduler.execute(() -> {
                throw new IllegalStateException("expected by the test");
            });
            scheduler.execute(ran::countDown);

            assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void cancelledScheduledTaskDoesNotRun() throws Exception {
        try (ThreadScheduler scheduler = new ThreadScheduler("cancel-test")) {
            AtomicBoolean cancelledRan = new AtomicBoolean();
            CountDownLatch laterRan = new CountDownLatch(1);
            Cancellable cancelled = scheduler.schedule(50, TimeUnit.MILLISECONDS, () -> cancelledRan.set(true));
            cancelled.cancel();
            cancelled.cancel();
            scheduler.schedule(100, TimeUnit.MILLISECONDS, laterRan::countDown);

            assertTrue(laterRan.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertFalse(cancelledRan.get());
        }
    }

    @Test
    void rejectsTasksAfterClose() {
        ThreadScheduler scheduler = new ThreadScheduler("closed-test");
        scheduler.close();
        scheduler.close();

        assertThrows(RejectedExecutionException.class, () -> scheduler.execute(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> scheduler.schedule(1, TimeUnit.SECONDS, () -> { }));
    }
}
