package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The unpacked distribution under test: {@code target/modkv-<version>/}, built by the assembly. */
final class Distribution {
    private Distribution() {
    }

    static Path home() {
        String dir = System.getProperty("modkv.dist");
        assertTrue(dir != null && !dir.isBlank(), "system property modkv.dist is not set (run with mvn verify)");
        Path home = Path.of(dir).toAbsolutePath();
        assertTrue(Files.isExecutable(home.resolve("bin/modkv")), "no executable bin/modkv in " + home
                + "; the assembly runs at package, before the integration tests");
        return home;
    }

    static Path launcher() {
        return home().resolve("bin/modkv");
    }

    static Path pluginsDir() {
        return home().resolve("plugins");
    }
}
