package org.modkv.storage.wal;

import java.util.Map;
import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.storage.StorageEngineContract;

/**
 * The storage TCK with {@code wal.sync=batch} and the smallest ring, so that large batches
 * take the by-reference path and concurrent writers meet back-pressure.
 */
class WalStorageEngineBatchSyncSmallRingTest extends StorageEngineContract {
    @Override
    protected StorageProvider provider() {
        return new WalStorageProvider();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of("wal.sync", "batch", "wal.sync.interval.ms", "2", "wal.ring.bytes", "64KiB",
                "wal.idle.strategy", "backoff");
    }
}
