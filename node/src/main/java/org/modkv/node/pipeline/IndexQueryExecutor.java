package org.modkv.node.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * The threads index queries run on ({@code index.query.threads}), with a bounded wait queue
 * ({@code index.query.queue}): a heavy query never stalls a transport's event loop or an index's
 * applier, and past the bound a query is refused with {@code OVERLOADED} instead of piling up.
 */
final class IndexQueryExecutor implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final int threads;
    private final int queue;
    private final LongAdder rejected = new LongAdder();

    IndexQueryExecutor(int threads, int queue) {
        this.threads = threads;
        this.queue = queue;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), task -> {
                    Thread thread = new Thread(task, "index-query-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code query} on a query thread, or fails at once with {@code OVERLOADED}. */
    <T> CompletableFuture<T> submit(Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(query.get());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            rejected.increment();
            String why = executor.isShutdown() ? "the node is shutting down"
                    : "too many index queries: " + queue + " are waiting for the " + threads
                    + " query threads (index.query.queue, index.query.threads); retry later";
            result.completeExceptionally(new ModkvException(executor.isShutdown() ? ErrorCode.SHUTTING_DOWN
                    : ErrorCode.OVERLOADED, why));
        }
        return result;
    }

    int queued() {
        return executor.getQueue().size();
    }

    int active() {
        return executor.getActiveCount();
    }

    long rejected() {
        return rejected.sum();
    }

    /**
     * Refuses new queries and lets running ones finish for a few seconds before interrupting
     * them (an interrupt can close an index's file channels under it).
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
