package org.modkv.storage.perkey;

import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.storage.StorageEngineContract;

/**
 * The storage TCK against the {@code perkey} engine with its defaults ({@code perkey.sync=always},
 * {@code perkey.ack=files}).
 */
class PerKeyStorageEngineTest extends StorageEngineContract {
    @Override
    protected StorageProvider provider() {
        return new PerKeyStorageProvider();
    }

    /** Each of these batches rewrites 2,056 key files, each with its own fsync, before it is acknowledged. */
    @Override
    protected int largeBatchRounds() {
        return 20;
    }
}
