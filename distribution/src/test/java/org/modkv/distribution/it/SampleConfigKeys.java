package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code #key=default} lines of a sample config, in order. The distribution's own
 * {@code bin/modkv plugins --sample-config} is PluginCatalog.discover(&lt;home&gt;/plugins) as
 * the node sees it: the distribution's boot layer, not the test JVM's.
 */
final class SampleConfigKeys {
    private static final Pattern KEY_LINE = Pattern.compile("(?m)^#([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*)=(.*)$");

    private SampleConfigKeys() {
    }

    static Map<String, String> parse(String sample) {
        Map<String, String> keys = new LinkedHashMap<>();
        Matcher matcher = KEY_LINE.matcher(sample);
        while (matcher.find()) {
            keys.put(matcher.group(1), matcher.group(2));
        }
        return keys;
    }

    /** Every key the packaged distribution knows, with its default, from its own launcher. */
    static Map<String, String> fromLauncher() throws Exception {
        Cli.Result run = Cli.modkv("plugins", "--sample-config");
        assertEquals(0, run.status(), run::toString);
        return parse(run.out());
    }
}
