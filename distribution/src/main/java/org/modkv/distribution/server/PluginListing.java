package org.modkv.distribution.server;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.modkv.api.PluginKind;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.node.PluginDescription;

/**
 * What {@code modkv plugins} prints: the kernel's keys, then each kind with the config key
 * that chooses it and every plugin found, its module, origin, description and keys.
 */
final class PluginListing {
    private static final int DOC_WIDTH = 88;

    private final ConfigSchema kernel;
    private final List<PluginDescription> plugins;
    private final Optional<Path> home;

    PluginListing(ConfigSchema kernel, List<PluginDescription> plugins, Optional<Path> home) {
        this.kernel = kernel;
        this.plugins = plugins;
        this.home = home;
    }

    void print(PrintWriter out) {
        out.println("kernel");
        printKeys(kernel, "  ", out);
        for (PluginKind kind : PluginKind.values()) {
            out.println();
            out.println(kind.label() + " plugins (choose with " + chooser(kind) + ")");
            List<PluginDescription> ofKind = plugins.stream().filter(p -> p.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                out.println("  (none found)");
            }
            for (PluginDescription plugin : ofKind) {
                out.println("  " + plugin.name() + (plugin.description().isBlank() ? "" : " - " + plugin.description()));
                out.println("      module " + plugin.module()
                        + (plugin.moduleVersion().isEmpty() ? "" : " " + plugin.moduleVersion())
                        + ", API " + plugin.apiVersion() + ", from " + origin(plugin.location()));
                if (plugin.schema().isEmpty()) {
                    out.println("      (no config keys)");
                } else {
                    printKeys(plugin.schema(), "    ", out);
                }
            }
        }
    }

    private static void printKeys(ConfigSchema schema, String indent, PrintWriter out) {
        for (ConfigKey<?> key : schema.keys()) {
            out.println(indent + key.name() + " = " + shownDefault(key) + "    (" + key.type() + ")");
            for (String line : TextBlocks.wrap(key.doc(), DOC_WIDTH)) {
                out.println(indent + "    " + line);
            }
        }
    }

    /** The kernel key that picks plugins of {@code kind}; index and transport take a list. */
    private static String chooser(PluginKind kind) {
        return switch (kind) {
            case STORAGE, REPLICATION -> kind.configKey() + "=NAME";
            case INDEX, TRANSPORT -> kind.configKey() + "=NAME,...";
        };
    }

    static String shownDefault(ConfigKey<?> key) {
        return key.defaultText().isEmpty() ? "(empty)" : key.defaultText();
    }

    /** A plugin's jar, relative to the distribution when it is inside it. */
    private String origin(String location) {
        if (!location.toLowerCase(Locale.ROOT).startsWith("file:")) {
            return location;
        }
        try {
            Path path = Path.of(URI.create(location));
            return home.filter(h -> path.startsWith(h)).map(h -> h.relativize(path).toString())
                    .orElse(path.toString());
        } catch (IllegalArgumentException e) {
            return location;
        }
    }
}
