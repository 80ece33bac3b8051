package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * The write path: one thread takes every batch waiting in the queue, writes them to the log
 * with one gathering write, covers them with one fsync, applies them to the key directory
 * and completes them in sequence order.
 *
 * <p>Why one writer thread and a queue: sequence numbers, file positions, visibility and
 * completions all follow from one order without any lock held across I/O, and callers never
 * block ({@link #offer} copies the batch and returns). Group commit comes for free: every
 * batch that arrives while an fsync runs shares the next one. A later version replaces the
 * locked queue with an Agrona ring buffer and this thread with an agent; the contract
 * (offer, sequence order, complete after durable) stays.
 *
 * <p>Visibility: a batch is applied to the key directory just before it completes, so a read
 * never sees a batch that is not yet acknowledged-durable (for {@code DURABLE} with
 * {@code wal.sync=always}: after the fsync). Within a group, batches that need no fsync and
 * precede the first one that does complete before the fsync.
 *
 * <p>Failure: if a write or fsync fails, that group and everything queued or offered later
 * fails with {@link ErrorCode#STORAGE_FAILURE}; the fsync is never retried, because after a
 * failed fsync the kernel may have dropped the dirty pages and a retry could report success
 * for data that is gone.
 */
final class GroupCommitWriter {
    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());

    /** Back-pressure: offers beyond these bounds return false until the writer catches up. */
    private static final int MAX_QUEUED_WRITES = 1 << 16;
    private static final long MAX_QUEUED_BYTES = 64L << 20;
    /** Most bytes one gathering write takes (a larger single record still goes alone). */
    private static final long MAX_GROUP_BYTES = 16L << 20;

    private final WalLog log;
    private final KeyDirectory directory;
    private final SyncMode sync;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
    private long queuedBytes;
    private volatile boolean closing;
    private volatile ModkvException failure;

    private volatile long lastCompletedSequence;
    // Writer thread only:
    private long lastAssignedSequence;
    private final List<PendingWrite> group = new ArrayList<>();
    private final List<ByteBuffer> buffers = new ArrayList<>();

    GroupCommitWriter(WalLog log, KeyDirectory directory, SyncMode sync) {
        this.log = log;
        this.directory = directory;
        this.sync = sync;
        this.lastAssignedSequence = log.recoveredSequence();
        this.lastCompletedSequence = log.recoveredSequence();
        this.thread = new Thread(this::run, "modkv-wal-group-commit");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** See {@link org.modkv.api.storage.StorageEngine#offer}. */
    boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
        if (batch.encodedLength() > WalRecordFormat.MAX_BATCH_BYTES) {
            throw new ModkvException(ErrorCode.TOO_LARGE, "a write batch of " + batch.encodedLength()
                    + " bytes is larger than the write-ahead log's limit of " + WalRecordFormat.MAX_BATCH_BYTES
                    + " bytes; split it into smaller batches");
        }
        checkAccepting();
        PendingWrite write = new PendingWrite(WalRecordFormat.newWriteFrame(batch), durability, completion);
        lock.lock();
        try {
            checkAccepting();
            if (!queue.isEmpty() && (queue.size() >= MAX_QUEUED_WRITES
                    || queuedBytes + write.frame.length > MAX_QUEUED_BYTES)) {
                return false;
            }
            queue.add(write);
            queuedBytes += write.frame.length;
            workAvailable.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void checkAccepting() {
        ModkvException failed = failure;
        if (failed != null) {
            throw new ModkvException(ErrorCode.STORAGE_FAILURE, failed.getMessage(), failed.getCause());
        }
        if (closing) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "storage is closed: the node is shutting down");
        }
    }

    long lastCompletedSequence() {
        return lastCompletedSequence;
    }

    /** The storage failure that stopped writes, or {@code null}. */
    ModkvException failure() {
        return failure;
    }

    /** Refuses new writes, lets the writer finish every accepted one, and waits for it. */
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
                if (failure != null) {
                    failRemaining(failure);
                } else {
                    commit();
                }
            } catch (Throwable t) {
                stop(t);
            } finally {
                group.clear();
                buffers.clear();
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
                bytes += write.frame.length;
            } while (!queue.isEmpty() && bytes + queue.peek().frame.length <= MAX_GROUP_BYTES);
            queuedBytes -= bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void commit() throws IOException {
        WalSegment segment = log.active();
        long start = segment.size();
        long position = start;
        for (PendingWrite write : group) {
            if (log.mustRollBefore(position, write.frame.length)) {
                append(segment, position - start);
                segment = log.roll();
                start = 0;
                position = 0;
            }
            WalRecordFormat.seal(write.frame, ++lastAssignedSequence);
            write.sequence = lastAssignedSequence;
            write.segment = segment;
            write.offset = position;
            buffers.add(ByteBuffer.wrap(write.frame));
            position += write.frame.length;
        }
        append(segment, position - start);

        int firstNeedingFsync = 0;
        while (firstNeedingFsync < group.size() && !group.get(firstNeedingFsync).needsFsync(sync)) {
            firstNeedingFsync++;
        }
        publish(0, firstNeedingFsync);
        if (firstNeedingFsync < group.size()) {
            log.forceActive();
            publish(firstNeedingFsync, group.size());
        }
    }

    private void append(WalSegment segment, long bytes) throws IOException {
        if (!buffers.isEmpty()) {
            segment.append(buffers.toArray(new ByteBuffer[0]), bytes);
            buffers.clear();
        }
    }

    /** Applies and completes {@code group[from, to)} in order. */
    private void publish(int from, int to) {
        for (int i = from; i < to; i++) {
            PendingWrite write = group.get(i);
            directory.apply(write.frame, write.frame.length, write.segment, write.offset);
            lastCompletedSequence = write.sequence;
            complete(write, write.sequence, null);
        }
    }

    private void stop(Throwable cause) {
        ModkvException failed = new ModkvException(ErrorCode.STORAGE_FAILURE, "storage failed in the write-ahead log "
                + "under " + log.dir() + ": " + cause + ". Writes are refused from now on because durability can no "
                + "longer be promised; restart the node once the disk is healthy", cause);
        LOG.log(System.Logger.Level.ERROR, failed.getMessage(), cause);
        failRemaining(failed);
    }

    /** Records the failure, then fails the current group's open writes and everything queued. */
    private void failRemaining(ModkvException failed) {
        List<PendingWrite> queued;
        lock.lock();
        try {
            if (failure == null) {
                failure = failed;
            }
            queued = new ArrayList<>(queue);
            queue.clear();
            queuedBytes = 0;
        } finally {
            lock.unlock();
        }
        for (PendingWrite write : group) {
            complete(write, -1, failure);
        }
        for (PendingWrite write : queued) {
            complete(write, -1, failure);
        }
    }

    private static void complete(PendingWrite write, long sequence, Throwable failure) {
        if (write.completed) {
            return;
        }
        write.completed = true;
        try {
            write.completion.complete(sequence, failure);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "a write completion threw; ignoring it", t);
        }
    }
}
