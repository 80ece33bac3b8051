package org.modkv.storage.wal;

import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteCompletion;

/**
 * A batch accepted by {@code offer} and not yet completed: its record frame (a copy of the
 * batch) and, once the writer has placed it, its sequence number and position in the log.
 * Fields after the first three belong to the writer thread.
 */
final class PendingWrite {
    final byte[] frame;
    final Durability durability;
    final WriteCompletion completion;
    long sequence;
    WalSegment segment;
    long offset;
    boolean completed;

    PendingWrite(byte[] frame, Durability durability, WriteCompletion completion) {
        this.frame = frame;
        this.durability = durability;
        this.completion = completion;
    }

    /** Whether this write must wait for an fsync under {@code sync}. */
    boolean needsFsync(SyncMode sync) {
        return sync == SyncMode.ALWAYS && durability == Durability.DURABLE;
    }
}
