package org.modkv.distribution;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --plugin-dir DIR} (repeatable) for the commands that load plugins. Together with
 * {@code <home>/plugins} and {@value ModkvHome#PLUGIN_PATH_ENV} it says where plugins are.
 */
public final class PluginDirOption {
    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = {"Also load plugins from DIR: a directory of jars is one plugin, any other directory "
                    + "holds one plugin per subdirectory. Repeat for more; added to <home>/plugins and "
                    + "$" + ModkvHome.PLUGIN_PATH_ENV + "."})
    List<Path> dirs;

    /** Every plugin directory: the distribution's, the environment's, then the command line's. */
    public List<Path> pluginDirs() {
        return ModkvHome.pluginDirs(System.getenv(ModkvHome.PLUGIN_PATH_ENV), dirs == null ? List.of() : dirs);
    }
}
