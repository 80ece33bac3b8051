package org.modkv.index.fulltext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.modkv.api.config.Config;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.StoredData;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.testkit.TestPluginContext;

/** Opens the fulltext index through its provider, as the kernel does, on a test context. */
final class IndexFixture {
    private IndexFixture() {
    }

    static Index open(Path dataDir, StoredData storage, Map<String, String> config) throws IOException {
        FulltextIndexProvider provider = new FulltextIndexProvider();
        TestPluginContext plugin = TestPluginContext.builder().schema(provider.configSchema()).dataDir(dataDir)
                .config(config).build();
        IndexContext context = new IndexContext() {
            @Override
            public StoredData storedData() {
                return storage;
            }

            @Override
            public String nodeId() {
                return plugin.nodeId();
            }

            @Override
            public Config config() {
                return plugin.config();
            }

            @Override
            public Path dataDir() {
                return plugin.dataDir();
            }

            @Override
            public Clock clock() {
                return plugin.clock();
            }

            @Override
            public Scheduler scheduler() {
                return plugin.scheduler();
            }
        };
        try {
            return provider.open(context);
        } finally {
            plugin.close();
        }
    }

    static IndexResult search(Index index, String text, String mode, int offset, int limit) {
        return index.query(new IndexQuery("search", List.of(text), Map.of("mode", mode, "offset",
                Integer.toString(offset), "limit", Integer.toString(limit))));
    }
}
