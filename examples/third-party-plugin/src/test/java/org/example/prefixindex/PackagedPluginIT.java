package org.example.prefixindex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.modkv.api.PluginKind;
import org.modkv.pluginloader.LoadedPlugin;
import org.modkv.testkit.PluginDirectoryLoader;

/** The packaged plugin directory loads as a node loads it: its own layer, API version checked. */
class PackagedPluginIT {
    @Test
    void thePluginDirectoryLoadsAsANodeLoadsIt() {
        List<LoadedPlugin> loaded = PluginDirectoryLoader.load(Path.of(System.getProperty("plugin.dir")));
        assertEquals(1, loaded.size(), loaded.toString());
        assertEquals("prefix", loaded.get(0).plugin().name());
        assertEquals(PluginKind.INDEX, loaded.get(0).plugin().kind());
        assertEquals("org.example.prefixindex", loaded.get(0).module());
        assertEquals("1.0.0", loaded.get(0).moduleVersion());
    }
}
