package org.modkv.node.pipeline;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.modkv.api.storage.WriteBatch;

/**
 * The work waiting for one index's applier thread: copies of committed batches, bounded in bytes,
 * and at most one pending catch-up from storage.
 *
 * <p>The storage thread that reports commits never waits here: past the bound the queue drops
 * every batch it holds and asks for a catch-up instead ({@link Resync}); until the applier takes
 * it, later batches are dropped as well, since the catch-up reads storage after they are in it.
 * Once the applier has taken the catch-up, batches queue again; the applier skips those the
 * catch-up already covered (sequence at most the storage sequence it read).
 */
final class ApplyQueue {
    /** Per queued batch, besides its encoding: the object headers and the task record. */
    static final int OVERHEAD_BYTES = 64;

    /** What the applier does next. */
    sealed interface Task permits Apply, Resync {
    }

    /** Apply one committed batch (a private copy), committed at {@code committedNanos}. */
    record Apply(long sequence, WriteBatch batch, long committedNanos) implements Task {
    }

    /** Catch up with storage; {@code during} is the state the index shows meanwhile. */
    record Resync(String reason, IndexState during) implements Task {
    }

    private final long maxBytes;
    private final ArrayDeque<Task> tasks = new ArrayDeque<>();
    private long bytes;
    private boolean resyncPending;
    private boolean closed;
    private long overflows;
    private volatile long enqueuedSequence;

    ApplyQueue(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Queues a copy of {@code lent} (the caller may reuse it once this returns). Never blocks.
     *
     * @return {@code false} if this batch overflowed the queue (it and everything queued were
     *     dropped, and a catch-up was queued instead)
     */
    synchronized boolean offer(long sequence, WriteBatch lent, long nowNanos) {
        enqueuedSequence = Math.max(enqueuedSequence, sequence);
        if (resyncPending || closed) {
            return true; // the pending catch-up will read this batch from storage
        }
        long size = (long) lent.encodedLength() + OVERHEAD_BYTES;
        if (bytes + size > maxBytes) {
            overflows++;
            replaceByResync(new Resync("its queue overflowed (" + (bytes + size) + " bytes of committed batches "
                    + "waiting, more than index.queue.max.bytes=" + maxBytes + "); dropped them", IndexState.CATCHING_UP));
            return false;
        }
        tasks.addLast(new Apply(sequence, lent.copy(), nowNanos));
        bytes += size;
        if (tasks.size() == 1) {
            notifyAll();
        }
        return true;
    }

    /**
     * Drops what is queued and queues a catch-up from storage instead, unless one is pending
     * already (it will read storage after this call, so it covers this reason too).
     */
    synchronized void resync(String reason, IndexState during, long sequence) {
        enqueuedSequence = Math.max(enqueuedSequence, sequence);
        if (!closed) {
            replaceByResync(new Resync(reason, during));
        }
    }

    private void replaceByResync(Resync resync) {
        if (resyncPending) {
            return;
        }
        tasks.clear();
        bytes = 0;
        resyncPending = true;
        tasks.addLast(resync);
        notifyAll();
    }

    /**
     * The next task, waiting up to {@code timeoutNanos}; {@code null} if none came or the queue
     * was closed. Taking a {@link Resync} lets batches queue again.
     */
    synchronized Task take(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (tasks.isEmpty() && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (closed) {
            return null;
        }
        Task task = tasks.pollFirst();
        if (task instanceof Apply apply) {
            bytes -= (long) apply.batch().encodedLength() + OVERHEAD_BYTES;
        } else {
            resyncPending = false;
        }
        return task;
    }

    /** Waits up to {@code millis} unless closed first; {@code true} if closed. */
    synchronized boolean awaitClosed(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Wakes the applier for good; what is queued is dropped (a restart catches up from storage). */
    synchronized void close() {
        closed = true;
        tasks.clear();
        bytes = 0;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Before the first batch: the index is at {@code sequence} (for the lag in sequences). */
    void startAt(long sequence) {
        enqueuedSequence = sequence;
    }

    /** The highest sequence committed or reset to, queued or not. */
    long enqueuedSequence() {
        return enqueuedSequence;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long overflows() {
        return overflows;
    }
}
