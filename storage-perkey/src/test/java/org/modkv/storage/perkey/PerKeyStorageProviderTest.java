package org.modkv.storage.perkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class PerKeyStorageProviderTest {
    private final PerKeyStorageProvider provider = new PerKeyStorageProvider();

    @Test
    void isFoundByServiceLoaderUnderTheNamePerkey() {
        PerKeyStorageProviderTest.class.getModule().addUses(StorageProvider.class);

        List<String> names = ServiceLoader.load(StorageProvider.class).stream().map(p -> p.get().name()).toList();

        assertTrue(names.contains("perkey"), "found " + names);
    }

    @Test
    void describesItselfAsAStoragePluginOfThisApiVersion() {
        assertEquals("perkey", provider.name());
        assertEquals(PluginKind.STORAGE, provider.kind());
        assertEquals(ApiVersion.CURRENT, provider.apiVersion());
        assertFalse(provider.description().isBlank());
    }

    @Test
    void schemaDeclaresDocumentedPerkeyKeysWithSafeDefaults() {
        List<String> names = provider.configSchema().keys().stream().map(ConfigKey::name).toList();
        assertEquals(List.of("perkey.sync", "perkey.fanout.levels", "perkey.lock.stripes", "perkey.pending.bytes",
                "perkey.flush.delay.ms", "perkey.flush.threads", "perkey.ack"), names);
        for (ConfigKey<?> key : provider.configSchema().keys()) {
            assertFalse(key.doc().isBlank(), key.name() + " is documented");
        }

        PerKeyOptions defaults = PerKeyOptions.from(provider.configSchema().bind(Map.of()));

        assertEquals(new PerKeyOptions(true, 2, false, 1024, 64L << 20, 50, 4, true), defaults);
        assertTrue(PerKeyOptions.SYNC.doc().contains("UNSAFE"), "perkey.sync=none is documented as unsafe");
    }

    @Test
    void parsesConfiguredValues() {
        PerKeyOptions options = PerKeyOptions.from(provider.configSchema().bind(Map.of(
                "perkey.sync", "none", "perkey.fanout.levels", "1", "perkey.lock.stripes", "16",
                "perkey.pending.bytes", "8MiB", "perkey.flush.delay.ms", "0", "perkey.flush.threads", "1", "perkey.ack", "intent")));

        assertEquals(new PerKeyOptions(false, 1, true, 16, 8L << 20, 0, 1, false), options);
    }

    @Test
    void rejectsABadSyncModeNamingTheKeyAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.configSchema().bind(Map.of("perkey.sync", "sometimes")));

        assertTrue(e.getMessage().contains("perkey.sync") && e.getMessage().contains("always, none"), e.getMessage());
    }

    @Test
    void rejectsMoreFanOutLevelsThanTheHashHas() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> provider.configSchema().bind(Map.of("perkey.fanout.levels", "4")));

        assertTrue(e.getMessage().contains("perkey.fanout.levels") && e.getMessage().contains("0..3"), e.getMessage());
    }
}
