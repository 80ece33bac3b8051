package org.modkv.storage.perkey;

import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.storage.StorageEngineContract;

/** The storage TCK against the {@code perkey} engine with its defaults ({@code perkey.sync=always}). */
class PerKeyStorageEngineTest extends StorageEngineContract {
    @Override
    protected StorageProvider provider() {
        return new PerKeyStorageProvider();
    }
}
