package org.modkv.node.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.modkv.api.config.Config;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.replication.ReplicationProvider;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.transport.TransportProvider;

/**
 * A validated node configuration: the kernel's values, the chosen plugins, and each chosen
 * plugin's own validated config. Built only by {@link NodeConfigLoader}.
 *
 * <p>{@link #dataDir()} is absolute and normalized: a relative {@code data.dir} (the default is
 * {@code ./data}) is resolved against the working directory once, here, so every path the node
 * and its plugins build from it is absolute, and two spellings of one directory compare equal.
 */
public record NodeConfig(
        Config kernel,
        String nodeId,
        Path dataDir,
        StorageProvider storage,
        ReplicationProvider replication,
        List<IndexProvider> indexes,
        List<TransportProvider> transports,
        Map<String, Config> pluginConfigs) {

    public NodeConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The validated config of a chosen plugin, by plugin name and kind. */
    public Config configOf(org.modkv.api.Plugin plugin) {
        Config config = pluginConfigs.get(plugin.kind().label() + ":" + plugin.name());
        if (config == null) {
            throw new IllegalStateException("no config bound for " + plugin.name());
        }
        return config;
    }

    static String configId(org.modkv.api.Plugin plugin) {
        return plugin.kind().label() + ":" + plugin.name();
    }
}
