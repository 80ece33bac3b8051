package org.modkv.testkit;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Scheduler;

/**
 * A real {@link Scheduler} on one daemon thread: tasks run one at a time, in submission order
 * for {@link #execute} and in due-time order for {@link #schedule}, exactly as the
 * {@code Scheduler} contract promises, so a plugin tested on it needs no locks for state it
 * only touches from scheduler tasks.
 *
 * <p>A task that throws is logged (through {@link System.Logger}) and does not stop the
 * scheduler. After {@link #close()} no task runs and submitting one throws
 * {@link RejectedExecutionException}.
 *
 * <p>Thread-safe. Owned by whoever created it; {@link TestPluginContext} closes the one it
 * creates.
 */
public final class ThreadScheduler implements Scheduler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ThreadScheduler.class.getName());
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final String threadName;
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    /**
     * Starts a scheduler whose thread is named {@code threadName} (the thread is created on
     * the first task).
     */
    public ThreadScheduler(String threadName) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread created = new Thread(runnable, threadName);
            created.setDaemon(true);
            thread = created;
            return created;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        executor.execute(guarded(task));
    }

    @Override
    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(task, "task");
        ScheduledFuture<?> future = executor.schedule(guarded(task), Math.max(0, delay), unit);
        return () -> future.cancel(false);
    }

    /** Whether the calling thread is this scheduler's thread. */
    public boolean isSchedulerThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Stops the scheduler: pending and delayed tasks are dropped, a running task is allowed to
     * finish (waiting up to 10 seconds). Idempotent.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "scheduler {0}: a task still runs after {1} s; leaving it",
                        threadName, CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ThreadScheduler(" + threadName + ")";
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "scheduler " + threadName + ": task " + task + " failed", t);
            }
        };
    }
}
