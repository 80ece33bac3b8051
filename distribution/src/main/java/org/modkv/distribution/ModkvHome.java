package org.modkv.distribution;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.modkv.api.config.ConfigException;

/**
 * The installation directory, passed by {@code bin/modkv} as {@code -Dmodkv.home}. Without it
 * (an IDE, a test) the CLI still works, with the plugins of the module path only.
 */
public final class ModkvHome {
    /** The system property {@code bin/modkv} sets to the distribution's root. */
    public static final String PROPERTY = "modkv.home";

    private ModkvHome() {
    }

    /** The distribution's root directory, if the launcher said where it is. */
    public static Optional<Path> home() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /**
     * The environment variable listing more plugin directories, separated by the platform's path
     * separator ({@code :} on Linux).
     */
    public static final String PLUGIN_PATH_ENV = "MODKV_PLUGIN_PATH";

    /** {@code <home>/plugins} when it exists: each subdirectory there is one plugin. */
    public static List<Path> pluginDirs() {
        return home().map(h -> h.resolve("plugins")).filter(Files::isDirectory).map(List::of).orElse(List.of());
    }

    /**
     * {@code <home>/plugins}, then each entry of {@code pluginPath} (the value of
     * {@value #PLUGIN_PATH_ENV}, may be null), then {@code named} ({@code --plugin-dir}).
     *
     * @throws ConfigException for a named directory that does not exist, saying which and where
     *     it was named
     */
    public static List<Path> pluginDirs(String pluginPath, List<Path> named) {
        List<Path> dirs = new ArrayList<>(pluginDirs());
        if (pluginPath != null) {
            for (String entry : pluginPath.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
                if (!entry.isBlank()) {
                    dirs.add(existing(Path.of(entry.trim()), "$" + PLUGIN_PATH_ENV));
                }
            }
        }
        for (Path dir : named) {
            dirs.add(existing(dir, "--plugin-dir"));
        }
        return List.copyOf(dirs);
    }

    private static Path existing(Path dir, String source) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(source + " names " + dir.toAbsolutePath()
                    + ", which is not a directory; name a plugin directory (its jars) or a directory of them");
        }
        return dir;
    }
}
