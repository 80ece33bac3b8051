package org.modkv.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The module version of org.modkv.api (set in the poms) is what javac records in plugins and
 * what the kernel checks, so it must say the same as {@link ApiVersion}.
 */
class ApiVersionTest {
    @Test
    void moduleVersionIsTheApiVersion() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            ModuleDescriptor descriptor = ModuleDescriptor.read(in);
            assertEquals(ApiVersion.text(), descriptor.rawVersion().orElse("(none)"),
                    "modkv.api.version in the parent pom must equal ApiVersion.MAJOR.MINOR");
        }
    }
}
