package org.modkv.node.pipeline;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;

/**
 * The node's live data as indexes read it, straight from the storage engine: with the
 * replications modkv has today (standalone, Raft) every stored record is live data.
 */
public final class StorageStoredData implements StoredData {
    private final StorageEngine storage;

    public StorageStoredData(StorageEngine storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) throws IOException {
        return storage.get(key);
    }

    @Override
    public void scan(Consumer<StoredRecord> visitor) throws IOException {
        storage.scan(visitor);
    }

    @Override
    public long lastSequence() {
        return storage.lastSequence();
    }
}
