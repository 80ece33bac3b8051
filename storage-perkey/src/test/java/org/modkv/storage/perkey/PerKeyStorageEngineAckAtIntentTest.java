package org.modkv.storage.perkey;

import java.util.Map;
import org.modkv.api.storage.StorageProvider;
import org.modkv.testkit.storage.StorageEngineContract;

/**
 * The storage TCK against the {@code perkey} engine acknowledging writes once their intent is
 * durable ({@code perkey.ack=intent}), key files following in the background.
 */
class PerKeyStorageEngineAckAtIntentTest extends StorageEngineContract {
    @Override
    protected StorageProvider provider() {
        return new PerKeyStorageProvider();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of("perkey.ack", "intent");
    }
}
