package org.modkv.api.replication;

import org.modkv.api.storage.WriteBatch;

/**
 * Told about every batch applied to this node's storage, in sequence order: the kernel feeds
 * indexes from it. Called from one thread at a time (never concurrently), quickly; the batch
 * is valid only during the call, so a listener copies what it keeps.
 */
@FunctionalInterface
public interface CommitListener {
    /**
     * @param sequence the storage sequence number of the batch (increasing)
     * @param batch what was applied
     */
    void committed(long sequence, WriteBatch batch);
}
