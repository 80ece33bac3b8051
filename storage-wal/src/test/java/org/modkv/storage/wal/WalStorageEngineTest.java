package org.modkv.storage.wal;

import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.storage.StorageEngineContract;

/** The storage TCK against the {@code wal} engine with its defaults ({@code wal.sync=always}). */
class WalStorageEngineTest extends StorageEngineContract {
    @Override
    protected StorageProvider provider() {
        return new WalStorageProvider();
    }
}
