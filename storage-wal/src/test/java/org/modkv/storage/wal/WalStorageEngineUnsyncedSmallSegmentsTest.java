package org.modkv.storage.wal;

import java.util.Map;
import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.storage.StorageEngineContract;

/** The storage TCK again with {@code wal.sync=none} and small segments, so every test also rolls. */
class WalStorageEngineUnsyncedSmallSegmentsTest extends StorageEngineContract {
    @Override
    protected StorageProvider provider() {
        return new WalStorageProvider();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of("wal.sync", "none", "wal.segment.bytes", "64KiB");
    }
}
