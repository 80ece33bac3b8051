package org.modkv.node.pipeline;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.CorruptDataException;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;

/**
 * The node's live data as indexes read it, straight from the storage engine: with the
 * replications modkv has today (standalone, Raft) every stored record is live data.
 *
 * <p>A record whose stored bytes are damaged is absent for indexes (docs/design/indexes.md):
 * the node refuses to serve it ({@code STORAGE_CORRUPT} on GET), so no index hits it either,
 * and a catch-up goes on past it instead of failing (which at start-up would keep the whole
 * node down over one damaged value). The storage engine logs and counts the damage; this logs
 * once that indexes leave damaged records out.
 */
public final class StorageStoredData implements StoredData {
    private static final System.Logger LOG = System.getLogger(StorageStoredData.class.getName());

    private final StorageEngine storage;
    private final AtomicBoolean damageLogged = new AtomicBoolean();

    public StorageStoredData(StorageEngine storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) throws IOException {
        try {
            return storage.get(key);
        } catch (CorruptDataException e) {
            damaged(e);
            return Optional.empty();
        }
    }

    @Override
    public void scan(Consumer<StoredRecord> visitor) throws IOException {
        storage.scanSkippingDamage(visitor, this::damaged);
    }

    @Override
    public long lastSequence() {
        return storage.lastSequence();
    }

    private void damaged(CorruptDataException e) {
        if (damageLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "indexes leave out stored records whose bytes are damaged (as GET "
                    + "refuses them); the first: " + e.getMessage());
        }
    }
}
