package org.modkv.node.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * Fresh queries waiting for one index to be ready and to have applied their read barrier.
 * {@link #release} is called by the applier whenever the applied sequence moves or the index
 * becomes ready again; a waiter also checks once more right after it registers, so a release
 * that ran just before cannot be missed.
 */
final class AppliedSequenceWaiters {
    private record Waiter(long sequence, CompletableFuture<Void> ready) {
    }

    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.sequence, b.sequence));
    private final LongSupplier appliedSequence;
    private final Supplier<Boolean> ready;

    /**
     * @param appliedSequence the index's applied sequence now
     * @param ready whether the index answers queries now
     */
    AppliedSequenceWaiters(LongSupplier appliedSequence, Supplier<Boolean> ready) {
        this.appliedSequence = appliedSequence;
        this.ready = ready;
    }

    /**
     * Completes once the index is ready and has applied {@code sequence}; fails after
     * {@code timeoutMillis} with the exception {@code onTimeout} builds from the applied sequence
     * at that moment.
     */
    CompletableFuture<Void> await(long sequence, long timeoutMillis, LongFunction<ModkvException> onTimeout) {
        if (ready.get() && appliedSequence.getAsLong() >= sequence) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(sequence, new CompletableFuture<>());
        synchronized (waiters) {
            waiters.add(waiter);
        }
        release();
        return waiter.ready.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).exceptionallyCompose(failure -> {
            synchronized (waiters) {
                waiters.remove(waiter);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                return CompletableFuture.failedFuture(onTimeout.apply(appliedSequence.getAsLong()));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** Completes every waiter the index has caught up with, if it is ready. */
    void release() {
        if (!ready.get()) {
            return;
        }
        long applied = appliedSequence.getAsLong();
        List<Waiter> done = null;
        synchronized (waiters) {
            while (!waiters.isEmpty() && waiters.peek().sequence <= applied) {
                if (done == null) {
                    done = new ArrayList<>();
                }
                done.add(waiters.poll());
            }
        }
        if (done != null) {
            done.forEach(w -> w.ready.complete(null));
        }
    }

    /** Fails every waiter: the node is shutting down. */
    void failAll(String message) {
        List<Waiter> all;
        synchronized (waiters) {
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        all.forEach(w -> w.ready.completeExceptionally(new ModkvException(ErrorCode.SHUTTING_DOWN, message)));
    }
}
