package org.modkv.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A node on {@link MemoryStorageProvider} with standalone replication, no transport, no index, no metrics. */
final class MemoryNode {
    private MemoryNode() {
    }

    /** Starts one under {@code dir}, with {@code settings} (key, value, key, value...) on top. */
    static ModkvNode start(Path dir, String... settings) throws IOException {
        Map<String, String> config = new HashMap<>(Map.of("data.dir", dir.toString(), "storage", "memory",
                "transports", "", "indexes", "", "metrics.listen", "off"));
        for (int i = 0; i + 1 < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return ModkvNode.start(NodeOptions.of(config), List.of(new MemoryStorageProvider()));
    }
}
