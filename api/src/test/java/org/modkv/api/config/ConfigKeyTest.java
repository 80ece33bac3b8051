package org.modkv.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {
    static final ConfigKey<String> SYNC = ConfigKey.choice("wal.sync", "always", "doc", "always", "batch", "none");
    static final ConfigKey<Long> SEGMENT = ConfigKey.bytes("wal.segment.bytes", "64MiB", 1024, 1L << 40, "doc");
    static final ConfigKey<HostPort> LISTEN = ConfigKey.hostPort("tcp.listen", "127.0.0.1:7379", "doc");

    @Test
    void choiceSaysWhatIsAllowed() {
        ConfigException e = assertThrows(ConfigException.class, () -> SYNC.parse("sometimes"));
        assertEquals("wal.sync: 'sometimes' is not allowed; use one of always, batch, none", e.getMessage());
        assertEquals("batch", SYNC.parse(" BATCH "));
    }

    @Test
    void sizesAcceptBinarySuffixes() {
        assertEquals(64L << 20, SEGMENT.defaultValue());
        assertEquals(4096L, SEGMENT.parse("4KiB"));
        assertEquals(4096L, SEGMENT.parse("4k"));
        assertEquals(1L << 30, SEGMENT.parse("1 GiB"));
        ConfigException e = assertThrows(ConfigException.class, () -> SEGMENT.parse("12"));
        assertTrue(e.getMessage().contains("out of range; allowed 1024.."), e.getMessage());
        assertThrows(ConfigException.class, () -> SEGMENT.parse("lots"));
    }

    @Test
    void hostPortsAreChecked() {
        assertEquals(new HostPort("127.0.0.1", 7379), LISTEN.defaultValue());
        assertEquals(new HostPort("::1", 80), LISTEN.parse("[::1]:80"));
        assertTrue(assertThrows(ConfigException.class, () -> LISTEN.parse("localhost")).getMessage()
                .contains("is not host:port"));
        assertTrue(assertThrows(ConfigException.class, () -> LISTEN.parse("h:70000")).getMessage()
                .contains("allowed 0..65535"));
    }

    @Test
    void badDefaultIsRejectedWhenTheKeyIsDeclared() {
        assertThrows(ConfigException.class, () -> ConfigKey.integer("x.y", 5, 10, 20, "doc"));
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.string("Bad Name", "", "doc"));
    }

    @Test
    void schemaBindsValuesAndFallsBackToDefaults() {
        ConfigSchema schema = ConfigSchema.of(SYNC, SEGMENT);
        Config config = schema.bind(Map.of("wal.sync", "none"));
        assertEquals("none", config.get(SYNC));
        assertEquals(64L << 20, config.get(SEGMENT));
        assertTrue(config.isSet(SYNC));
        assertFalse(config.isSet(SEGMENT));
        assertThrows(ConfigException.class, () -> config.get(LISTEN));
        ConfigException unknown = assertThrows(ConfigException.class, () -> schema.bind(Map.of("wal.sinc", "x")));
        assertTrue(unknown.getMessage().contains("known keys: wal.sync, wal.segment.bytes"), unknown.getMessage());
    }

    @Test
    void listsSplitOnCommas() {
        ConfigKey<List<String>> key = ConfigKey.list("indexes", "fulltext, tfidf", "doc");
        assertEquals(List.of("fulltext", "tfidf"), key.defaultValue());
        assertEquals(List.of(), key.parse(""));
    }
}
