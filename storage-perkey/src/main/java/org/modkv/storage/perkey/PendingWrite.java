package org.modkv.storage.perkey;

import java.util.Arrays;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * A batch accepted by {@code offer} and not yet completed: a copy of its encoding and whom to
 * tell. {@link #sequence} is set by the committer thread before the write is published;
 * {@link #completed} is guarded by the write's monitor (the committer or the flusher completes it).
 */
final class PendingWrite {
    final byte[] encoding;
    final int length;
    final WriteCompletion completion;
    long sequence;
    boolean completed;

    PendingWrite(WriteBatch batch, WriteCompletion completion) {
        this.length = batch.encodedLength();
        this.encoding = Arrays.copyOf(batch.encodedBuffer(), length);
        this.completion = completion;
    }

    /** Bytes this write holds while queued. */
    long bytes() {
        return length + 64L;
    }
}
