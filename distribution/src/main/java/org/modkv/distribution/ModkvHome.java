package org.modkv.distribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /** {@code <home>/plugins} when it exists: each subdirectory there is one plugin. */
    public static List<Path> pluginDirs() {
        return home().map(h -> h.resolve("plugins")).filter(Files::isDirectory).map(List::of).orElse(List.of());
    }
}
