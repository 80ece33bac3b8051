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
        List<PluginDescription> plugins = new java.util.ArrayList<>(List.of(new PluginDescription("demo", PluginKind.INDEX,
                "A demo plugin.", "org.example.demo", "file:/demo.jar", schema, "1.0", "2.0", "/demo")));
        // The plugins the kernel's defaults name, so that the file leaves every choice at its default.
        for (String[] named : new String[][] {{"wal", "STORAGE"}, {"standalone", "REPLICATION"}, {"fulltext", "INDEX"},
                {"tcp", "TRANSPORT"}, {"resp", "TRANSPORT"}}) {
            plugins.add(new PluginDescription(named[0], PluginKind.valueOf(named[1]), "", "m", "file:/m.jar",
                    ConfigSchema.of(), "", "2.0", "/m"));
        }
        new SampleConfig(PluginCatalog.kernelSchema(), plugins).print(new PrintWriter(text, true));

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

    @Test
    void choosesInstalledPluginsWhereTheDefaultsAreMissing() {
        StringWriter text = new StringWriter();
        new SampleConfig(PluginCatalog.kernelSchema(), List.of(
                new PluginDescription("perkey", PluginKind.STORAGE, "", "m", "file:/p.jar", ConfigSchema.of(), "", "2.0", "/p"),
                new PluginDescription("standalone", PluginKind.REPLICATION, "", "m", "file:/n.jar", ConfigSchema.of(), "", "2", "/n"),
                new PluginDescription("resp", PluginKind.TRANSPORT, "", "m", "file:/r.jar", ConfigSchema.of(), "", "2.0", "/r")))
                .print(new PrintWriter(text, true));
        Properties uncommented = new Properties();
        try {
            uncommented.load(new StringReader(text.toString()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals("perkey", uncommented.getProperty("storage"));
        assertEquals("", uncommented.getProperty("indexes"));
        assertEquals("resp", uncommented.getProperty("transports"));
        assertEquals(null, uncommented.getProperty("replication"), "standalone is there: left at its default");
    }
}
