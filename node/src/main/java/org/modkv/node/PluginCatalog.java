package org.modkv.node;

import java.nio.file.Path;
import java.util.List;
import org.modkv.api.Plugin;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.ConfigSchema;
import org.modkv.node.config.KernelKeys;
import org.modkv.pluginloader.LoadedPlugin;
import org.modkv.pluginloader.PluginLoader;

/** The plugins a node can use: the built-in ones, the module path and plugin directories. */
public final class PluginCatalog {
    private final List<LoadedPlugin> loaded;

    private PluginCatalog(List<LoadedPlugin> loaded) {
        this.loaded = loaded;
    }

    /**
     * Discovers plugins.
     *
     * @throws ConfigException if a plugin cannot be loaded, was built for another API version,
     *     or shares its name with another plugin of its kind
     */
    public static PluginCatalog discover(List<Path> pluginDirs) {
        return discover(pluginDirs, List.of());
    }

    /** As {@link #discover(List)}, plus plugin instances supplied by an embedding program. */
    public static PluginCatalog discover(List<Path> pluginDirs, List<? extends Plugin> embedded) {
        return new PluginCatalog(PluginLoader.load(pluginDirs, embedded));
    }

    /** Every plugin, sorted by kind then name. */
    public List<PluginDescription> plugins() {
        return loaded.stream().map(p -> new PluginDescription(p.plugin().name(), p.plugin().kind(),
                p.plugin().description(), p.module(), p.location(), p.plugin().configSchema(), p.moduleVersion(),
                p.apiVersion(), p.directory())).toList();
    }

    /** The kernel's own keys (node.id, data.dir, plugin choice, request limits). */
    public static ConfigSchema kernelSchema() {
        return KernelKeys.SCHEMA;
    }

    List<LoadedPlugin> loaded() {
        return loaded;
    }
}
