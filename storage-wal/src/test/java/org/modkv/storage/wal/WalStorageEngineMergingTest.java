package org.modkv.storage.wal;

import java.util.Map;
import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.storage.StorageEngineContract;

/**
 * The storage TCK with small segments and an eager background merger, so that merges, hint
 * files and file retirement race every test's reads, writes, scans and restarts.
 */
class WalStorageEngineMergingTest extends StorageEngineContract {
    @Override
    protected StorageProvider provider() {
        return new WalStorageProvider();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of("wal.sync", "none", "wal.segment.bytes", "16KiB", "wal.merge.interval.ms", "5",
                "wal.merge.trigger.ratio", "0.1");
    }
}
