package org.modkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ApiVersion;
import org.modkv.api.config.ConfigException;

class NodeConfigValidationTest {
    @TempDir
    Path dir;

    private ConfigException startFails(Map<String, String> overrides, List<? extends org.modkv.api.Plugin> plugins) {
        return assertThrows(ConfigException.class, () -> ModkvNode.start(NodeOptions.of(overrides), plugins));
    }

    private Map<String, String> base(String... extra) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("data.dir", dir.toString(), "storage", "memory",
                "transports", "", "indexes", "", "metrics.listen", "off"));
        for (int i = 0; i < extra.length; i += 2) {
            values.put(extra[i], extra[i + 1]);
        }
        return values;
    }

    /**
     * A relative data.dir, spelt with {@code ./} and {@code ..} as a user might, reaches every
     * plugin as one absolute, normalized directory: storage-wal compared paths built from it,
     * and with the default {@code ./data} none of its merges could happen.
     */
    @Test
    void resolvesARelativeDataDirOnceIntoAnAbsoluteNormalizedDirectoryForEveryPlugin() throws IOException {
        Path workingDir = Path.of("").toAbsolutePath();
        Path relative = Path.of(".").resolve(workingDir.relativize(dir.resolve("node-data")).toString())
                .resolve("sub").resolve("..");
        assertTrue(!relative.isAbsolute() && !relative.equals(relative.normalize()), relative.toString());
        ProbeTransportProvider probe = new ProbeTransportProvider();
        try (ModkvNode node = ModkvNode.start(NodeOptions.of(base("data.dir", relative.toString(),
                "transports", "probe")), List.of(new MemoryStorageProvider(), probe))) {
            Path pluginDir = probe.context().dataDir();
            assertEquals(dir.resolve("node-data").resolve("transport-probe").toAbsolutePath().normalize(), pluginDir);
            assertTrue(pluginDir.isAbsolute());
            assertEquals(pluginDir.normalize(), pluginDir);
            assertTrue(Files.isDirectory(pluginDir));
        }
    }

    @Test
    void rejectsIndexPipelineSettingsOutOfRangeNamingTheKeyAndTheRange() {
        ConfigException threads = startFails(base("index.query.threads", "0"), List.of(new MemoryStorageProvider()));
        assertTrue(threads.getMessage().startsWith("index.query.threads: "), threads.getMessage());
        assertTrue(threads.getMessage().contains("1..256"), threads.getMessage());
        ConfigException timeout = startFails(base("index.freshness.timeout.ms", "soon"), List.of(new MemoryStorageProvider()));
        assertTrue(timeout.getMessage().startsWith("index.freshness.timeout.ms: "), timeout.getMessage());
    }

    @Test
    void rejectsAnIndexQueueSmallerThanTheLargestBatch() {
        ConfigException e = startFails(base("indexes", "contains", "index.queue.max.bytes", "1MiB",
                "node.max.batch.bytes", "2000000", "node.max.value.bytes", "1000"), List.of(new MemoryStorageProvider(), new ValueContainsIndexProvider()));
        assertEquals("index.queue.max.bytes (1048576) must be at least node.max.batch.bytes (2000000), or one large "
                + "batch would overflow every index's queue", e.getMessage());
    }

    @Test
    void rejectsAnEmptyDataDir() {
        ConfigException e = startFails(base("data.dir", ""), List.of(new MemoryStorageProvider()));
        assertTrue(e.getMessage().startsWith("data.dir: is empty; give a directory"), e.getMessage());
    }

    @Test
    void rejectsUnknownConfigKeyWithSuggestion() {
        ConfigException e = startFails(base("node.idd", "x"), List.of(new MemoryStorageProvider()));
        assertTrue(e.getMessage().contains("'node.idd'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'node.id'"), e.getMessage());
    }

    @Test
    void suggestsPluginKeysToo() {
        ConfigException e = startFails(base("memory.initial.capacty", "3"), List.of(new MemoryStorageProvider()));
        assertTrue(e.getMessage().contains("did you mean 'memory.initial.capacity'"), e.getMessage());
    }

    @Test
    void unknownKeyFarFromAnyKnownKeyPointsToPluginsCommand() {
        ConfigException e = startFails(base("no.such.key", "1"), List.of(new MemoryStorageProvider()));
        assertTrue(e.getMessage().contains("'no.such.key'"), e.getMessage());
        assertTrue(e.getMessage().contains("modkv plugins"), e.getMessage());
    }

    @Test
    void rejectsBadValueSayingWhatIsAllowed() {
        ConfigException e = startFails(base("node.max.key.bytes", "lots"), List.of(new MemoryStorageProvider()));
        assertTrue(e.getMessage().startsWith("node.max.key.bytes: 'lots' is not a whole number"), e.getMessage());
        assertTrue(e.getMessage().contains("1..16777216"), e.getMessage());
    }

    @Test
    void rejectsBadPluginValueEvenWhenPluginIsNotChosen() {
        ConfigException e = startFails(base("memory.initial.capacity", "0", "storage", "other"),
                List.of(new MemoryStorageProvider(), new MemoryStorageProvider("other", ApiVersion.CURRENT)));
        assertTrue(e.getMessage().contains("memory.initial.capacity: '0' is out of range"), e.getMessage());
    }

    @Test
    void rejectsUnknownPluginListingThoseFound() {
        ConfigException e = startFails(base("storage", "nosuch"), List.of(new MemoryStorageProvider()));
        assertEquals("storage: no storage plugin named 'nosuch'; plugins found: memory", e.getMessage());
    }

    @Test
    void namesWhereAShippedPluginThatIsNotInstalledComesFrom() {
        ConfigException e = startFails(base("storage", "perkey"), List.of(new MemoryStorageProvider()));
        assertEquals("storage: storage plugin 'perkey' is not installed; it is the module org.modkv.storage.perkey, "
                + "in the full distribution or in a plugin directory plugins/storage-perkey; plugins found: memory",
                e.getMessage());
    }

    @Test
    void rejectsTwoPluginsWithOneNameNamingBoth() {
        ConfigException e = startFails(base(), List.of(new MemoryStorageProvider(), new MemoryStorageProvider()));
        assertTrue(e.getMessage().startsWith("two storage plugins are named 'memory'"), e.getMessage());
        assertEquals(2, e.getMessage().split("module ", -1).length - 1, e.getMessage());
    }

    @Test
    void rejectsPluginBuiltForAnotherApiVersion() {
        ConfigException e = startFails(base(), List.of(new MemoryStorageProvider("old", 0)));
        assertTrue(e.getMessage().contains("built for modkv API version 0"), e.getMessage());
    }

    @Test
    void rejectsMissingConfigFileByName() {
        Path missing = dir.resolve("nope.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> ModkvNode.start(
                new NodeOptions(Optional.of(missing), Map.of(), List.of()), List.of(new MemoryStorageProvider())));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void overridesWinOverTheFile() throws IOException {
        Path file = dir.resolve("modkv.properties");
        Files.writeString(file, "node.id=fromfile\nstorage=memory\ntransports=\nindexes=\nmetrics.listen=off\ndata.dir="
                + dir.resolve("d") + "\n");
        try (ModkvNode node = ModkvNode.start(new NodeOptions(Optional.of(file), Map.of("node.id", "fromset"),
                List.of()), List.of(new MemoryStorageProvider()))) {
            assertEquals("fromset", node.nodeId());
            assertEquals("modkv ready node=fromset", node.readyLine());
        }
    }

    @Test
    void batchLimitMustHoldTheLargestValue() {
        ConfigException e = startFails(base("node.max.value.bytes", "1000", "node.max.batch.bytes", "10"),
                List.of(new MemoryStorageProvider()));
        assertTrue(e.getMessage().contains("node.max.batch.bytes (10) must be at least node.max.value.bytes (1000)"),
                e.getMessage());
    }

    @Test
    void rejectsAShutdownTimeoutOutsideItsRangeSayingWhatIsAllowed() {
        for (String bad : List.of("0", "-5", "99", "600001", "10s")) {
            ConfigException e = startFails(base("node.shutdown.timeout.ms", bad), List.of(new MemoryStorageProvider()));
            assertTrue(e.getMessage().startsWith("node.shutdown.timeout.ms: '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("100..600000"), e.getMessage());
        }
    }
}
