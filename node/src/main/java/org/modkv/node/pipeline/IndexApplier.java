package org.modkv.node.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;

/**
 * Feeds one index on its own thread, in sequence order, and lets queries wait until the index
 * has caught up with a given sequence (so a search sees the caller's own acknowledged writes).
 *
 * <p>The queue is unbounded: the storage thread that reports commits must never block on a
 * slow index. {@link #lag()} shows how far behind it is.
 */
final class IndexApplier implements Runnable {
    private static final System.Logger LOG = System.getLogger(IndexApplier.class.getName());
    private static final int REBUILD_BATCH_ENTRIES = 1024;

    private record Committed(long sequence, WriteBatch batch) {
    }

    private record Waiter(long sequence, CompletableFuture<Void> ready) {
    }

    private final String name;
    private final Index index;
    private final BlockingQueue<Committed> queue = new LinkedBlockingQueue<>();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.sequence, b.sequence));
    private final AtomicLong enqueuedSequence = new AtomicLong();
    private final Thread thread;
    private volatile long appliedSequence;
    private volatile boolean running = true;

    IndexApplier(String name, Index index) {
        this.name = name;
        this.index = index;
        this.thread = new Thread(this, "index-applier-" + name);
        this.thread.setDaemon(true);
    }

    /** Brings the index up to date with storage before the node serves; runs on the caller. */
    void catchUp(StorageEngine storage) throws IOException {
        long target = storage.lastSequence();
        long applied = index.appliedSequence();
        if (applied != target || target == 0 && storage.keyCount() > 0) {
            LOG.log(System.Logger.Level.INFO, "rebuilding index {0} from storage (index at sequence {1}, storage at {2})",
                    name, applied, target);
            index.clear();
            WriteBatch batch = new WriteBatch();
            storage.scan(record -> {
                batch.put(record.key(), record.value(), record.metadata());
                if (batch.size() >= REBUILD_BATCH_ENTRIES) {
                    index.apply(target, batch);
                    batch.clear();
                }
            });
            index.apply(target, batch);
        }
        appliedSequence = target;
        enqueuedSequence.set(target);
    }

    void start() {
        thread.start();
    }

    /** Called by the commit listener, in sequence order. */
    void committed(long sequence, WriteBatch batch) {
        enqueuedSequence.set(sequence);
        queue.add(new Committed(sequence, batch));
    }

    /** Completes once the index has applied everything committed when this was called. */
    CompletableFuture<Void> awaitCommitted() {
        long target = enqueuedSequence.get();
        if (appliedSequence >= target) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(target, new CompletableFuture<>());
        synchronized (waiters) {
            waiters.add(waiter);
        }
        releaseWaiters(); // the applier may have passed the target meanwhile
        return waiter.ready;
    }

    Index index() {
        return index;
    }

    long appliedSequence() {
        return appliedSequence;
    }

    long lag() {
        return Math.max(0, enqueuedSequence.get() - appliedSequence);
    }


    @Override
    public void run() {
        while (running) {
            Committed next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                index.apply(next.sequence, next.batch);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "index " + name + " failed to apply sequence " + next.sequence, e);
            }
            appliedSequence = next.sequence;
            releaseWaiters();
        }
    }

    private void releaseWaiters() {
        long applied = appliedSequence;
        List<Waiter> ready = new ArrayList<>();
        synchronized (waiters) {
            while (!waiters.isEmpty() && waiters.peek().sequence <= applied) {
                ready.add(waiters.poll());
            }
        }
        ready.forEach(w -> w.ready.complete(null));
    }

    void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (waiters) {
            waiters.forEach(w -> w.ready.completeExceptionally(
                    new ModkvException(ErrorCode.SHUTTING_DOWN, "node is shutting down")));
            waiters.clear();
        }
        index.close();
    }
}
