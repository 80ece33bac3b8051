package org.modkv.node.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.modkv.api.Plugin;
import org.modkv.api.PluginKind;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.replication.ReplicationProvider;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.transport.TransportProvider;
import org.modkv.pluginloader.LoadedPlugin;

/**
 * Turns a properties file plus {@code --set} overrides into a {@link NodeConfig}, refusing
 * anything it cannot make sense of: an unknown key (with the closest known key), a bad value
 * (with what is allowed), an unknown plugin name (with the plugins found).
 *
 * <p>A key is known if the kernel or any discovered plugin declares it, so one config file
 * can carry the keys of plugins it does not currently choose.
 */
public final class NodeConfigLoader {
    private static final System.Logger LOG = System.getLogger(NodeConfigLoader.class.getName());

    private final List<LoadedPlugin> plugins;

    public NodeConfigLoader(List<LoadedPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    /** Reads {@code file} (if present) and applies {@code overrides} on top. */
    public NodeConfig load(Optional<Path> file, Map<String, String> overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        file.ifPresent(path -> raw.putAll(readProperties(path)));
        raw.putAll(overrides);
        return validate(raw);
    }

    static Map<String, String> readProperties(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + path + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        properties.forEach((k, v) -> values.put(k.toString().trim(), v.toString()));
        return values;
    }

    NodeConfig validate(Map<String, String> raw) {
        Map<String, Plugin> owners = keyOwners();
        Map<String, String> kernelValues = new LinkedHashMap<>();
        Map<Plugin, Map<String, String>> pluginValues = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String key = entry.getKey();
            if (KernelKeys.SCHEMA.key(key).isPresent()) {
                kernelValues.put(key, entry.getValue());
            } else if (owners.containsKey(key)) {
                pluginValues.computeIfAbsent(owners.get(key), p -> new LinkedHashMap<>()).put(key, entry.getValue());
            } else {
                throw unknownKey(key, owners.keySet());
            }
        }
        Config kernel = KernelKeys.SCHEMA.bind(kernelValues);

        StorageProvider storage = choose(StorageProvider.class, PluginKind.STORAGE, kernel.get(KernelKeys.STORAGE));
        ReplicationProvider replication = choose(ReplicationProvider.class, PluginKind.REPLICATION,
                kernel.get(KernelKeys.REPLICATION));
        List<IndexProvider> indexes = chooseAll(IndexProvider.class, PluginKind.INDEX, kernel.get(KernelKeys.INDEXES));
        List<TransportProvider> transports = chooseAll(TransportProvider.class, PluginKind.TRANSPORT,
                kernel.get(KernelKeys.TRANSPORTS));

        List<Plugin> chosen = new ArrayList<>();
        chosen.add(storage);
        chosen.add(replication);
        chosen.addAll(indexes);
        chosen.addAll(transports);
        Map<String, Config> pluginConfigs = new LinkedHashMap<>();
        for (Plugin plugin : chosen) {
            pluginConfigs.put(NodeConfig.configId(plugin),
                    plugin.configSchema().bind(pluginValues.getOrDefault(plugin, Map.of())));
        }
        for (Plugin unused : pluginValues.keySet()) {
            if (!chosen.contains(unused)) {
                unused.configSchema().bind(pluginValues.get(unused)); // still refuse bad values
                LOG.log(System.Logger.Level.INFO, "config sets {0} for {1} plugin ''{2}'', which is not chosen; ignored",
                        pluginValues.get(unused).keySet(), unused.kind().label(), unused.name());
            }
        }
        int maxValue = kernel.get(KernelKeys.MAX_VALUE_BYTES);
        int maxBatch = kernel.get(KernelKeys.MAX_BATCH_BYTES);
        if (maxBatch < maxValue) {
            throw new ConfigException("node.max.batch.bytes (" + maxBatch + ") must be at least node.max.value.bytes ("
                    + maxValue + "), or a single large value could never be written in a batch");
        }
        long indexQueue = kernel.get(KernelKeys.INDEX_QUEUE_MAX_BYTES);
        if (!indexes.isEmpty() && indexQueue < maxBatch) {
            throw new ConfigException("index.queue.max.bytes (" + indexQueue + ") must be at least node.max.batch.bytes ("
                    + maxBatch + "), or one large batch would overflow every index's queue");
        }
        return new NodeConfig(kernel, kernel.get(KernelKeys.NODE_ID), Path.of(kernel.get(KernelKeys.DATA_DIR)),
                storage, replication, indexes, transports, pluginConfigs);
    }

    private Map<String, Plugin> keyOwners() {
        Map<String, Plugin> owners = new LinkedHashMap<>();
        for (LoadedPlugin loaded : plugins) {
            for (ConfigKey<?> key : loaded.plugin().configSchema().keys()) {
                Plugin previous = owners.putIfAbsent(key.name(), loaded.plugin());
                if (previous != null && previous != loaded.plugin()) {
                    throw new ConfigException("config key " + key.name() + " is declared by two plugins: '"
                            + previous.name() + "' and '" + loaded.plugin().name() + "' (" + loaded.describe() + ")");
                }
                if (KernelKeys.SCHEMA.key(key.name()).isPresent()) {
                    throw new ConfigException("plugin '" + loaded.plugin().name() + "' (" + loaded.describe()
                            + ") declares config key " + key.name() + ", which belongs to the kernel");
                }
            }
        }
        return owners;
    }

    private ConfigException unknownKey(String key, Set<String> pluginKeys) {
        Set<String> known = new LinkedHashSet<>();
        KernelKeys.SCHEMA.keys().forEach(k -> known.add(k.name()));
        known.addAll(pluginKeys);
        String hint = ClosestKey.find(key, known).map(k -> "; did you mean '" + k + "'?")
                .orElse("; run 'modkv plugins' to list every key");
        return new ConfigException("unknown config key '" + key + "'" + hint);
    }

    private <P extends Plugin> P choose(Class<P> type, PluginKind kind, String name) {
        List<P> candidates = ofKind(type);
        return candidates.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() ->
                new ConfigException(kind.configKey() + ": " + BundledPlugins.whereToGet(kind, name)
                        .orElse("no " + kind.label() + " plugin named '" + name + "'")
                        + "; plugins found: " + names(candidates)));
    }

    private <P extends Plugin> List<P> chooseAll(Class<P> type, PluginKind kind, List<String> names) {
        List<P> chosen = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            chosen.add(choose(type, kind, name));
        }
        if (chosen.size() != names.size()) {
            throw new ConfigException(kind.configKey() + ": " + names + " names a plugin twice");
        }
        return chosen;
    }

    private <P extends Plugin> List<P> ofKind(Class<P> type) {
        return plugins.stream().map(LoadedPlugin::plugin).filter(type::isInstance).map(type::cast).toList();
    }

    private static String names(List<? extends Plugin> candidates) {
        return candidates.isEmpty() ? "none" : candidates.stream().map(Plugin::name).collect(Collectors.joining(", "));
    }
}
