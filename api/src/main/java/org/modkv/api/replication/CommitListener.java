package org.modkv.api.replication;

import org.modkv.api.storage.WriteBatch;

/**
 * Told about every batch applied to this node's storage, in sequence order: the kernel feeds
 * indexes from it. Called from one thread at a time (never concurrently), quickly.
 *
 * <p>Ownership: the batch is lent for the duration of the call. A replication may reuse it as
 * soon as the call returns, so a listener copies whatever it keeps.
 */
@FunctionalInterface
public interface CommitListener {
    /**
     * @param sequence the storage sequence number of the batch (increasing)
     * @param batch what was applied
     */
    void committed(long sequence, WriteBatch batch);

    /**
     * Storage's content was replaced as a whole (a replication snapshot was installed) and is
     * now at {@code sequence}; what a listener derived from earlier batches must be rebuilt from
     * storage. Later batches follow through {@link #committed}. The default does nothing.
     */
    default void reset(long sequence) {
    }
}
