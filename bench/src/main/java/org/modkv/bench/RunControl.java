package org.modkv.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The phases of a run and the decision, per request, whether it may still be sent.
 *
 * <p>Time is split by intended send time: requests intended before {@link #measureStartNs}
 * are warm-up (sent, not recorded); from it on they are measured, until {@link #endNs} (duration
 * mode) or until the ticket count runs out ({@code --requests} mode). Deciding by intended time,
 * not by completion time, means a slow warm-up request cannot leak into the measurement.
 */
final class RunControl {
    final long startNs;
    final long measureStartNs;
    /** First intended time that is no longer sent; {@code Long.MAX_VALUE} in requests mode. */
    final long endNs;
    private final boolean counted;
    private final AtomicLong tickets;
    private final AtomicInteger running;
    private final CountDownLatch allFinished = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile long finishedNs;

    RunControl(long startNs, long warmupNs, long durationNs, long requests, int clients) {
        this.startNs = startNs;
        this.measureStartNs = startNs + warmupNs;
        this.counted = durationNs <= 0;
        this.endNs = counted ? Long.MAX_VALUE : measureStartNs + durationNs;
        this.tickets = new AtomicLong(counted ? requests : 0);
        this.running = new AtomicInteger(clients);
        if (clients == 0) {
            finishedNs = startNs;
            allFinished.countDown();
        }
    }

    /** Whether a request intended at {@code intendedNs} is sent; claims a ticket if counted. */
    boolean mayIssue(long intendedNs) {
        if (stopped) {
            return false;
        }
        if (intendedNs < measureStartNs) {
            return true;
        }
        if (intendedNs >= endNs) {
            return false;
        }
        return !counted || tickets.getAndDecrement() > 0;
    }

    /** Whether a request intended at {@code intendedNs} belongs to the measurement. */
    boolean measured(long intendedNs) {
        return intendedNs >= measureStartNs;
    }

    /** No more requests from now on; clients finish as their outstanding requests complete. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** Called once by each client when it has sent its last request and seen it complete. */
    void clientFinished() {
        if (running.decrementAndGet() == 0) {
            finishedNs = System.nanoTime();
            allFinished.countDown();
        }
    }

    /** Waits up to {@code timeoutNs} for every client to finish. */
    boolean awaitFinished(long timeoutNs) throws InterruptedException {
        return allFinished.await(Math.max(0, timeoutNs), TimeUnit.NANOSECONDS);
    }

    /** Clients not finished yet. */
    int running() {
        return running.get();
    }

    /** When the last client finished, or 0 while some still run. */
    long finishedNs() {
        return finishedNs;
    }
}
