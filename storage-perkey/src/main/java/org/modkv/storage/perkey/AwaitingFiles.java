package org.modkv.storage.perkey;

import java.util.ArrayDeque;
import org.modkv.api.ModkvException;

/**
 * Writes that are durable in the intent log and visible, and whose completion waits until
 * their key files are in place ({@code perkey.ack=files}). The committer adds them in
 * sequence order; the flusher completes them once a checkpoint covers their sequence, so a
 * caller that sees its write acknowledged finds it in the key files.
 *
 * <p>Once the flusher has failed, every waiting write and every one added later fails with
 * that failure; none is left waiting. Thread-safe.
 */
final class AwaitingFiles {
    private final ArrayDeque<PendingWrite> waiting = new ArrayDeque<>();
    private ModkvException failure;

    /** Queues a committed write (sequence order), or fails it at once if the flusher has failed. */
    void add(PendingWrite write) {
        ModkvException failed;
        synchronized (this) {
            failed = failure;
            if (failed == null) {
                waiting.add(write);
                return;
            }
        }
        IntentCommitter.complete(write, -1, failed);
    }

    /** Whether a write waits (the flusher then skips its gathering delay). */
    synchronized boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Completes, in order, every waiting write with a sequence up to {@code checkpointed}. */
    void completeThrough(long checkpointed) {
        while (true) {
            PendingWrite write;
            synchronized (this) {
                write = waiting.peek();
                if (write == null || write.sequence > checkpointed) {
                    return;
                }
                waiting.poll();
            }
            IntentCommitter.complete(write, write.sequence, null);
        }
    }

    /** Fails every waiting write, and every one added from now on, with {@code failed}. */
    void failAll(ModkvException failed) {
        ArrayDeque<PendingWrite> failing;
        synchronized (this) {
            if (failure == null) {
                failure = failed;
            }
            failing = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        for (PendingWrite write : failing) {
            IntentCommitter.complete(write, -1, failed);
        }
    }
}
