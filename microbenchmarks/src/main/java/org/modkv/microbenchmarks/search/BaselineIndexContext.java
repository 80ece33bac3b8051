package org.modkv.microbenchmarks.search;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.StoredRecord;
import org.modkv.microbenchmarks.BenchPluginContext;

/**
 * An index plugin's context in a baseline: {@link BenchPluginContext} and no stored data (the
 * baseline feeds the index through {@code apply}, so it never needs to resync).
 */
final class BaselineIndexContext extends BenchPluginContext implements IndexContext {

    BaselineIndexContext(IndexProvider provider, Map<String, String> config, Path dataDir) {
        super(provider, config, dataDir);
    }

    @Override
    public StoredData storedData() {
        return new StoredData() {
            @Override
            public Optional<StoredRecord> get(byte[] key) {
                return Optional.empty();
            }

            @Override
            public void scan(Consumer<StoredRecord> visitor) {
            }

            @Override
            public long lastSequence() {
                return 0;
            }
        };
    }
}
