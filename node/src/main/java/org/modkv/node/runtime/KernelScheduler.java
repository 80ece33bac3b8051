package org.modkv.node.runtime;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Scheduler;

/** The real {@link Scheduler}: one daemon thread, tasks one at a time, failures logged. */
final class KernelScheduler implements Scheduler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KernelScheduler.class.getName());

    private final ScheduledThreadPoolExecutor executor;

    KernelScheduler(String nodeId) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "modkv-scheduler-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    @Override
    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(guarded(task), delay, unit);
        return () -> future.cancel(false);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "scheduled task failed", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
