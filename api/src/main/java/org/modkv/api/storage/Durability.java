package org.modkv.api.storage;

/** What "done" means for a write handed to a {@link StorageEngine}. */
public enum Durability {
    /**
     * Complete once the batch is as durable as the engine is configured to make it (for
     * {@code storage-wal} with {@code wal.sync=always}: fsync'd). The normal choice.
     */
    DURABLE,
    /**
     * Complete once the batch is visible to reads; it may be lost in a crash. For callers that
     * own durability themselves, e.g. Raft applying entries already durable in its log.
     */
    VISIBLE
}
