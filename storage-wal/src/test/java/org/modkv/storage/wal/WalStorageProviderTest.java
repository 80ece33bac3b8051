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
        assertEquals(List.of("wal.sync", "wal.sync.interval.ms", "wal.segment.bytes", "wal.ring.bytes",
                "wal.idle.strategy", "wal.merge.trigger.ratio", "wal.merge.min.segments", "wal.merge.interval.ms", "wal.preallocate",
                "wal.caller.commits", "wal.scrub.bytes.per.second"),
                names);
        for (ConfigKey<?> key : provider.configSchema().keys()) {
            assertTrue(key.name().startsWith("wal."));
            assertTrue(!key.doc().isBlank(), key.name() + " is documented");
        }

        WalOptions defaults = WalOptions.from(provider.configSchema().bind(Map.of()));

        assertEquals(SyncMode.ALWAYS, defaults.sync());
        assertEquals(64L << 20, defaults.segmentBytes());
        assertEquals(2 << 20, defaults.ringBytes());
        assertEquals(IdleStrategyOption.SLEEPING, defaults.idleStrategy());
        assertEquals(0.5, defaults.mergeTriggerRatio());
        assertEquals(10_000, defaults.mergeIntervalMs());
        assertTrue(WalOptions.SYNC.doc().contains("UNSAFE"), "wal.sync=none is documented as unsafe");
    }

    @Test
    void parsesConfiguredValues() {
        WalOptions options = WalOptions.from(provider.configSchema().bind(Map.of("wal.sync", "batch",
                "wal.sync.interval.ms", "25", "wal.segment.bytes", "4KiB", "wal.ring.bytes", "100KiB",
                "wal.idle.strategy", "backoff", "wal.merge.trigger.ratio", "0.25", "wal.merge.min.segments", "3",
                "wal.merge.interval.ms", "0")));

        assertEquals(SyncMode.BATCH, options.sync());
        assertEquals(25, options.syncIntervalMs());
        assertEquals(4096, options.segmentBytes());
        assertEquals(128 << 10, options.ringBytes(), "rounded up to a power of two");
        assertEquals(IdleStrategyOption.BACKOFF, options.idleStrategy());
        assertEquals(0.25, options.mergeTriggerRatio());
        assertEquals(3, options.mergeMinFiles());
        assertEquals(0, options.mergeIntervalMs());
    }

    @Test
    void rejectsABadSyncModeNamingTheKeyAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.configSchema().bind(Map.of("wal.sync", "sometimes")));

        assertTrue(e.getMessage().contains("wal.sync"), e.getMessage());
        assertTrue(e.getMessage().contains("always, batch, none"), e.getMessage());
    }

    @Test
    void rejectsAMergeRatioOutsideZeroToOne() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.configSchema().bind(Map.of("wal.merge.trigger.ratio", "1.5")));

        assertTrue(e.getMessage().contains("wal.merge.trigger.ratio"), e.getMessage());
        assertTrue(e.getMessage().contains("0.0 to 1.0"), e.getMessage());
    }

    @Test
    void rejectsASegmentSizeOutOfRange() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.configSchema().bind(Map.of("wal.segment.bytes", "10")));

        assertTrue(e.getMessage().contains("wal.segment.bytes"), e.getMessage());
    }
}
