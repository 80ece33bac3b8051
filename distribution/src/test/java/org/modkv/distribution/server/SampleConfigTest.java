package org.modkv.distribution.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.modkv.api.PluginKind;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.node.PluginCatalog;
import org.modkv.node.PluginDescription;

class SampleConfigTest {

    @Test
    void uncommentedDefaultsReadBackAsTheDefaults() throws IOException {
        ConfigSchema schema = ConfigSchema.of(
                ConfigKey.string("demo.path", "C:\\data dir", "A path with a backslash and a space."),
                ConfigKey.string("demo.lead", " padded", "Leading space."),
                ConfigKey.list("demo.empty", "", "Empty by default."),
                ConfigKey.hostPort("demo.listen", "127.0.0.1:7379", "An address."));
        StringWriter text = new StringWriter();
        new SampleConfig(PluginCatalog.kernelSchema(), List.of(new PluginDescription("demo", PluginKind.INDEX,
                "A demo plugin.", "org.example.demo", "file:/demo.jar", schema))).print(new PrintWriter(text, true));

        Properties uncommented = new Properties();
        uncommented.load(new StringReader(text.toString().replaceAll("(?m)^#([a-z][a-z0-9.-]*=)", "$1")));
        for (ConfigKey<?> key : schema.keys()) {
            assertEquals(key.defaultText(), uncommented.getProperty(key.name()), key.name());
        }
        for (ConfigKey<?> key : PluginCatalog.kernelSchema().keys()) {
            assertEquals(key.defaultText(), uncommented.getProperty(key.name()), key.name());
        }
        assertTrue(text.toString().contains("index plugin 'demo' (org.example.demo)"), text.toString());
    }

    @Test
    void wrapsDocsWithoutBreakingWords() {
        assertEquals(List.of("one two", "three", "averyveryverylongword"),
                TextBlocks.wrap("one two three averyveryverylongword", 8));
    }
}
