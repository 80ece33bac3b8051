package org.modkv.pluginloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ApiVersion;
import org.modkv.api.config.ConfigException;

/**
 * Plugin directories holding real jars, compiled here: one built against another API version,
 * one reaching for a kernel module. The loader must refuse each with a message naming the
 * module, its jar and the rule, before any class of the plugin is instantiated (the plugin's
 * class sets a system property when it is initialized).
 */
class PluginDirectoryRulesTest {
    private static final String MARKER = "modkv.test.plugin.initialized";

    @TempDir
    Path dir;

    /** A stand-in org.modkv.api at {@code version} (null: none) with just the interface the plugin provides. */
    private Path fakeApi(String version) throws IOException {
        return new PluginJars(dir).module("org.modkv.api", version, Map.of(
                "module-info.java", "module org.modkv.api { exports org.modkv.api.storage; }",
                "org/modkv/api/storage/StorageProvider.java",
                "package org.modkv.api.storage; public interface StorageProvider {}"),
                List.of(), dir.resolve("fake-api-" + version + "/api.jar"));
    }

    private Path pluginAgainst(String apiVersion, String extraRequires, List<Path> modulePath) throws IOException {
        return pluginAgainst(apiVersion, extraRequires, modulePath, null);
    }

    private Path pluginAgainst(String apiVersion, String extraRequires, List<Path> modulePath, String manifest)
            throws IOException {
        Path pluginDir = dir.resolve("plugins/bad-" + apiVersion + (manifest == null ? "" : "-manifest"));
        new PluginJars(dir).module("org.example.bad", "1.0", Map.of(
                "module-info.java", "module org.example.bad { requires org.modkv.api; " + extraRequires
                        + " provides org.modkv.api.storage.StorageProvider with org.example.bad.BadProvider; }",
                "org/example/bad/BadProvider.java",
                "package org.example.bad; public class BadProvider implements org.modkv.api.storage.StorageProvider {"
                        + " static { System.setProperty(\"" + MARKER + "\", \"true\"); } }"),
                modulePath, pluginDir.resolve("bad.jar"), manifest);
        return pluginDir;
    }

    @Test
    void refusesAPluginBuiltAgainstAnotherMajorBeforeLoadingIt() throws IOException {
        String newer = (ApiVersion.MAJOR + 1) + ".0";
        Path plugin = pluginAgainst(newer, "", List.of(fakeApi(newer)));
        System.clearProperty(MARKER);
        ConfigException e = assertThrows(ConfigException.class, () -> PluginLoader.load(List.of(plugin), List.of()));
        assertTrue(e.getMessage().startsWith("plugin module org.example.bad ("), e.getMessage());
        assertTrue(e.getMessage().contains("bad.jar"), e.getMessage());
        assertTrue(e.getMessage().contains("built against modkv API " + newer + ", but this node provides API "
                + ApiVersion.text()), e.getMessage());
        assertEquals(null, System.getProperty(MARKER), "the plugin's class must not have been initialized");
    }

    @Test
    void refusesAPluginBuiltAgainstANewerMinor() throws IOException {
        String newerMinor = ApiVersion.MAJOR + "." + (ApiVersion.MINOR + 1);
        Path plugin = pluginAgainst(newerMinor, "", List.of(fakeApi(newerMinor)));
        ConfigException e = assertThrows(ConfigException.class, () -> PluginLoader.load(List.of(plugin), List.of()));
        assertTrue(e.getMessage().contains("built against modkv API " + newerMinor), e.getMessage());
    }

    @Test
    void takesTheManifestVersionWhenTheDescriptorRecordsNone() throws IOException {
        Path api = fakeApi(null);
        Path unrecorded = pluginAgainst("none", "", List.of(api));
        ConfigException none = assertThrows(ConfigException.class, () -> PluginLoader.load(List.of(unrecorded), List.of()));
        assertTrue(none.getMessage().contains("records no modkv API version"), none.getMessage());

        String newer = (ApiVersion.MAJOR + 1) + ".0";
        Path manifest = pluginAgainst("none", "", List.of(api), "Manifest-Version: 1.0\nModkv-Api-Version: " + newer + "\n");
        ConfigException refused = assertThrows(ConfigException.class, () -> PluginLoader.load(List.of(manifest), List.of()));
        assertTrue(refused.getMessage().contains("built against modkv API " + newer), refused.getMessage());
    }

    @Test
    void refusesAPluginThatRequiresAKernelModule() throws IOException {
        Path api = fakeApi(ApiVersion.text());
        Path node = new PluginJars(dir).module("org.modkv.node", "0.1", Map.of(
                "module-info.java", "module org.modkv.node { exports org.modkv.node; }",
                "org/modkv/node/Kernel.java", "package org.modkv.node; public class Kernel {}"),
                List.of(), dir.resolve("fake-node/node.jar"));
        Path plugin = pluginAgainst(ApiVersion.text(), "requires org.modkv.node;", List.of(api, node));
        ConfigException e = assertThrows(ConfigException.class, () -> PluginLoader.load(List.of(plugin), List.of()));
        assertTrue(e.getMessage().contains("bad.jar (module org.example.bad) requires the kernel module "
                + "org.modkv.node; a plugin may require only org.modkv.api"), e.getMessage());
    }

    @Test
    void refusesAPluginDirectoryThatCarriesAModuleTheKernelHas() throws IOException {
        // jdk.net is in the boot layer, as lib/'s libraries are in a distribution.
        Path plugin = pluginAgainst(ApiVersion.text(), "", List.of(fakeApi(ApiVersion.text())));
        new PluginJars(dir).module("jdk.net", "1.0", Map.of(
                "module-info.java", "module jdk.net { exports jdk.net.copy; }",
                "jdk/net/copy/Copy.java", "package jdk.net.copy; public class Copy {}"),
                List.of(), plugin.resolve("shadow.jar"));
        ConfigException e = assertThrows(ConfigException.class, () -> PluginLoader.load(List.of(plugin), List.of()));
        assertTrue(e.getMessage().contains("shadow.jar holds module jdk.net, which the kernel already loads from lib/; "
                + "a plugin directory must not carry a library lib/ holds"), e.getMessage());
    }

    @Test
    void acceptsTheSameMajorAndAnOlderOrEqualMinorOnly() {
        assertTrue(PluginModuleRules.compatible(ApiVersion.MAJOR + ".0"));
        assertTrue(PluginModuleRules.compatible(ApiVersion.text()));
        assertFalse(PluginModuleRules.compatible(ApiVersion.MAJOR + "." + (ApiVersion.MINOR + 1)));
        assertFalse(PluginModuleRules.compatible((ApiVersion.MAJOR - 1) + ".9"));
        assertFalse(PluginModuleRules.compatible((ApiVersion.MAJOR + 1) + ".0"));
        assertFalse(PluginModuleRules.compatible("0.1.0-SNAPSHOT"));
    }

    @Test
    void readsTheRecordedVersionFromTheDescriptor() {
        ModuleDescriptor descriptor = ModuleDescriptor.newModule("org.example.p")
                .requires(Set.of(), "org.modkv.api", ModuleDescriptor.Version.parse("2.7"))
                .build();
        java.lang.module.ModuleReference ref = new java.lang.module.ModuleReference(descriptor, null) {
            @Override
            public java.lang.module.ModuleReader open() {
                throw new AssertionError("the descriptor's record suffices");
            }
        };
        assertEquals("2.7", PluginModuleRules.recordedApiVersion(ref).orElseThrow());
    }
}
