package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.modkv.api.ApiVersion;
import org.modkv.api.PluginKind;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.storage.StorageProvider;

class WalStorageProviderTest {
    private final WalStorageProvider provider = new WalStorageProvider();

    @Test
    void isFoundByServiceLoaderUnderTheNameWal() {
        WalStorageProviderTest.class.getModule().addUses(StorageProvider.class);

        List<String> names = ServiceLoader.load(StorageProvider.class).stream()
                .map(p -> p.get().name()).toList();

        assertTrue(names.contains("wal"), "found " + names);
    }

    @Test
    void describesItselfAsAStoragePluginOfThisApiVersion() {
        assertEquals("wal", provider.name());
        assertEquals(PluginKind.STORAGE, provider.kind());
        assertEquals(ApiVersion.CURRENT, provider.apiVersion());
        assertTrue(!provider.description().isBlank());
    }

    @Test
    void schemaDeclaresSyncAndSegmentSizeWithSafeDefaults() {
        List<String> names = provider.configSchema().keys().stream().map(ConfigKey::name).toList();
        assertEquals(List.of("wal.sync", "wal.segment.bytes"), names);
        for (ConfigKey<?> key : provider.configSchema().keys()) {
            assertTrue(key.name().startsWith("wal."));
            assertTrue(!key.doc().isBlank(), key.name() + " is documented");
        }

        WalOptions defaults = WalOptions.from(provider.configSchema().bind(Map.of()));

        assertEquals(SyncMode.ALWAYS, defaults.sync());
        assertEquals(64L << 20, defaults.segmentBytes());
        assertTrue(WalOptions.SYNC.doc().contains("UNSAFE"), "wal.sync=none is documented as unsafe");
    }

    @Test
    void parsesConfiguredValues() {
        WalOptions options = WalOptions.from(provider.configSchema().bind(
                Map.of("wal.sync", "none", "wal.segment.bytes", "4KiB")));

        assertEquals(SyncMode.NONE, options.sync());
        assertEquals(4096, options.segmentBytes());
    }

    @Test
    void rejectsABadSyncModeNamingTheKeyAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.configSchema().bind(Map.of("wal.sync", "sometimes")));

        assertTrue(e.getMessage().contains("wal.sync"), e.getMessage());
        assertTrue(e.getMessage().contains("always, none"), e.getMessage());
    }

    @Test
    void rejectsASegmentSizeOutOfRange() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.configSchema().bind(Map.of("wal.segment.bytes", "10")));

        assertTrue(e.getMessage().contains("wal.segment.bytes"), e.getMessage());
    }
}
