package org.modkv.storage.perkey;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * The write path up to the acknowledgement: one thread takes every batch waiting in the
 * queue, numbers them, writes them as one intent file made durable with one file fsync and
 * one directory fsync (group commit: every batch that arrives during an fsync shares the next
 * one), then publishes each batch to the {@link WriteOverlay} and completes it, in sequence
 * order ({@code perkey.ack=intent}) or hands it to {@link AwaitingFiles}, where the
 * {@link KeyFileFlusher} completes it once its key files are in place ({@code files}).
 *
 * <p>Why one thread: sequence numbers, intent order, visibility and completion order all
 * follow from one order, and concurrent batches on the same keys are serialised without any
 * lock held across I/O. Callers never block: {@link #offer} copies the batch and returns.
 *
 * <p>Key count: before publishing a batch the committer works out which of its puts create a
 * key and which of its deletes remove one (pending record, else whether the key file exists),
 * so {@link #keyCount()} needs no index of all keys.
 */
final class IntentCommitter {
    /** Back-pressure bounds beyond {@code perkey.pending.bytes}. */
    private static final int MAX_QUEUED_WRITES = 1 << 16;
    /** Most bytes one intent file takes (a larger single batch still goes alone). */
    private static final long MAX_GROUP_BYTES = 16L << 20;

    private final IntentLog intents;
    private final WriteOverlay overlay;
    private final KeyFileStore store;
    private final WriteFailure failure;
    private final long pendingLimit;
    private final Runnable onCommitted;
    /** Where committed writes wait for their key files, or null to complete them at once. */
    private final AwaitingFiles awaitingFiles;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
    private long queuedBytes;
    private volatile boolean closing;

    private volatile long lastCommitted;
    private volatile long keyCount;
    // Committer thread only:
    private long lastAssigned;
    private final List<PendingWrite> group = new ArrayList<>();

    IntentCommitter(IntentLog intents, WriteOverlay overlay, KeyFileStore store, WriteFailure failure,
                    long pendingLimit, Runnable onCommitted, AwaitingFiles awaitingFiles, long lastSequence,
                    long keyCount) {
        this.intents = intents;
        this.overlay = overlay;
        this.store = store;
        this.failure = failure;
        this.pendingLimit = pendingLimit;
        this.onCommitted = onCommitted;
        this.awaitingFiles = awaitingFiles;
        this.lastAssigned = lastSequence;
        this.lastCommitted = lastSequence;
        this.keyCount = keyCount;
        this.thread = new Thread(this::run, "modkv-perkey-commit");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** See {@link org.modkv.api.storage.StorageEngine#offer}. */
    boolean offer(WriteBatch batch, WriteCompletion completion) {
        if (batch.encodedLength() + 64L > pendingLimit) {
            throw new ModkvException(ErrorCode.TOO_LARGE, "a write batch of " + batch.encodedLength() + " bytes is "
                    + "larger than perkey.pending.bytes (" + pendingLimit + " bytes); split it or raise the limit");
        }
        checkAccepting();
        PendingWrite write = new PendingWrite(batch, completion);
        lock.lock();
        try {
            checkAccepting();
            boolean idle = queue.isEmpty() && overlay.isEmpty();
            if (!idle && (queue.size() >= MAX_QUEUED_WRITES
                    || queuedBytes + overlay.bytes() + write.bytes() > pendingLimit)) {
                return false;
            }
            queue.add(write);
            queuedBytes += write.bytes();
            workAvailable.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void checkAccepting() {
        failure.check();
        if (closing) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "storage is closed: the node is shutting down");
        }
    }

    /** The highest sequence published and completed. */
    long lastCommitted() {
        return lastCommitted;
    }

    long keyCount() {
        return keyCount;
    }

    /** Refuses new writes, lets the thread finish every accepted one, and waits for it. */
    void close() {
        lock.lock();
        try {
            closing = true;
            workAvailable.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (takeGroup()) {
            try {
                if (failure.get() != null) {
                    failRemaining(failure.get());
                } else {
                    commit();
                }
            } catch (Throwable t) {
                failRemaining(failure.fail("the intent log", t));
            } finally {
                group.clear();
            }
        }
    }

    /** Moves queued writes into {@link #group}; false once closing and drained. */
    private boolean takeGroup() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closing) {
                workAvailable.awaitUninterruptibly();
            }
            if (queue.isEmpty()) {
                return false;
            }
            long bytes = 0;
            do {
                PendingWrite write = queue.poll();
                group.add(write);
                bytes += write.bytes();
            } while (!queue.isEmpty() && bytes + queue.peek().bytes() <= MAX_GROUP_BYTES);
            queuedBytes -= bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void commit() throws IOException {
        long first = lastAssigned + 1;
        for (PendingWrite write : group) {
            write.sequence = ++lastAssigned;
        }
        intents.append(first, group);
        for (PendingWrite write : group) {
            List<PendingRecord> records = PendingRecord.fromBatch(write.encoding, write.length, write.sequence);
            long delta = keyCountDelta(records);
            overlay.publish(records);
            keyCount += delta;
            lastCommitted = write.sequence;
            if (awaitingFiles == null) {
                complete(write, write.sequence, null);
            } else {
                awaitingFiles.add(write);
            }
        }
        onCommitted.run();
    }

    /** How many keys the batch adds (negative: removes), given what exists before it. */
    private long keyCountDelta(List<PendingRecord> records) {
        Map<KeyBytes, Boolean> within = records.size() > 1 ? new HashMap<>() : null;
        long delta = 0;
        for (PendingRecord record : records) {
            Boolean existed = within == null ? null : within.get(record.key);
            if (existed == null) {
                PendingRecord pending = overlay.peek(record.key);
                existed = pending != null ? !pending.isDelete() : store.exists(record.key);
            }
            boolean exists = !record.isDelete();
            delta += (exists ? 1 : 0) - (existed ? 1 : 0);
            if (within != null) {
                within.put(record.key, exists);
            }
        }
        return delta;
    }

    /** Fails the current group's open writes and everything queued. */
    private void failRemaining(ModkvException failed) {
        List<PendingWrite> queued;
        lock.lock();
        try {
            queued = new ArrayList<>(queue);
            queue.clear();
            queuedBytes = 0;
        } finally {
            lock.unlock();
        }
        for (PendingWrite write : group) {
            complete(write, -1, failed);
        }
        for (PendingWrite write : queued) {
            complete(write, -1, failed);
        }
    }

    /** Completes {@code write} unless it was completed already (any thread). */
    static void complete(PendingWrite write, long sequence, Throwable failure) {
        synchronized (write) {
            if (write.completed) {
                return;
            }
            write.completed = true;
        }
        try {
            write.completion.complete(sequence, failure);
        } catch (Throwable t) {
            System.getLogger(IntentCommitter.class.getName()).log(System.Logger.Level.WARNING,
                    "a write completion threw; ignoring it", t);
        }
    }
}
