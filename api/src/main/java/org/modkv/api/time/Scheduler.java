package org.modkv.api.time;

import java.util.concurrent.TimeUnit;

/**
 * Timers and deferred work. Replication cores schedule through this instead of starting
 * threads or sleeping, so a simulation can run them deterministically.
 *
 * <p>Tasks of one scheduler run one at a time, never concurrently with each other, so a
 * plugin that does all its state changes on scheduler tasks needs no locks. A task must not
 * block; a task that throws is logged and does not stop the scheduler.
 */
public interface Scheduler {
    /** Runs {@code task} soon, after tasks already submitted. */
    void execute(Runnable task);

    /** Runs {@code task} once after {@code delay}. */
    Cancellable schedule(long delay, TimeUnit unit, Runnable task);
}
