package org.modkv.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a node.
 *
 * @param configFile a properties file, or empty for the embedded defaults
 * @param overrides {@code --set} values, applied over the file
 * @param pluginDirs directories whose subdirectories each hold one plugin (jar plus its
 *     libraries); plugins on the module path are found as well
 */
public record NodeOptions(Optional<Path> configFile, Map<String, String> overrides, List<Path> pluginDirs) {
    public NodeOptions {
        overrides = Map.copyOf(overrides);
        pluginDirs = List.copyOf(pluginDirs);
    }

    /** Embedded defaults plus {@code overrides}, plugins from the module path only. */
    public static NodeOptions of(Map<String, String> overrides) {
        return new NodeOptions(Optional.empty(), overrides, List.of());
    }
}
