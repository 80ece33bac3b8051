package org.modkv.testkit;

import java.nio.file.Path;
import java.util.List;
import org.modkv.pluginloader.LoadedPlugin;
import org.modkv.pluginloader.PluginLoader;

/**
 * Loads a packaged plugin directory (the jar and its libraries, as the plugin-assembly
 * descriptor lays it out) exactly as a node loads one from {@code plugins/}: in its own module
 * layer, with the API version, kernel-module and shadowing rules checked first. A plugin's
 * integration test calls it after packaging to prove the directory loads:
 *
 * <pre>{@code
 * List<LoadedPlugin> loaded = PluginDirectoryLoader.load(Path.of("target/my-plugin"));
 * assertEquals("my-index", loaded.get(0).plugin().name());
 * }</pre>
 *
 * See docs/writing-a-plugin.md.
 */
public final class PluginDirectoryLoader {
    private PluginDirectoryLoader() {
    }

    /**
     * The providers in {@code pluginDir}.
     *
     * @throws org.modkv.api.config.ConfigException with the message a node would print
     */
    public static List<LoadedPlugin> load(Path pluginDir) {
        return PluginLoader.loadDirectory(pluginDir);
    }
}
