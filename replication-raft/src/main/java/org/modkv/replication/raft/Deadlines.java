package org.modkv.replication.raft;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * When waiting requests give up: one queue in arrival order instead of a timer per request
 * (at tens of thousands of writes per second, a timer each would fill the scheduler's queue).
 * Every request waits the same {@code raft.request.timeout.ms} from when it arrived, so deadlines
 * arrive nearly in order (a forwarded write registers its wait for the local apply a round trip
 * after it arrived) and a sweep stops at the first one still in the future: a deadline may fire
 * that much late, never early. A request that completed meanwhile stays in the queue until its
 * deadline and is then skipped. Confined to the Raft scheduler.
 */
final class Deadlines {
    private record Deadline(CompletableFuture<?> result, long atNanos, Supplier<? extends Throwable> why) {
    }

    private final ArrayDeque<Deadline> queue = new ArrayDeque<>();

    void add(CompletableFuture<?> result, long atNanos, Supplier<? extends Throwable> why) {
        queue.add(new Deadline(result, atNanos, why));
    }

    /** Fails every request still waiting whose deadline is at or before {@code nowNanos}. */
    void expire(long nowNanos) {
        while (!queue.isEmpty() && queue.peekFirst().atNanos() - nowNanos <= 0) {
            Deadline deadline = queue.pollFirst();
            if (!deadline.result().isDone()) {
                deadline.result().completeExceptionally(deadline.why().get());
            }
        }
    }

    int size() {
        return queue.size();
    }
}
