package org.modkv.distribution.server;

import java.io.PrintWriter;
import java.util.List;
import org.modkv.api.PluginKind;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.node.PluginDescription;

/**
 * A {@code modkv.properties} in the style of Kafka's {@code server.properties}: every key of
 * the kernel and of each plugin found, commented out, with its doc, allowed values and
 * default. The distribution's {@code conf/modkv.properties} is this output; an integration
 * test checks that it still names every key.
 */
final class SampleConfig {
    private static final int WIDTH = 96;

    private final ConfigSchema kernel;
    private final List<PluginDescription> plugins;

    SampleConfig(ConfigSchema kernel, List<PluginDescription> plugins) {
        this.kernel = kernel;
        this.plugins = plugins;
    }

    void print(PrintWriter out) {
        out.println("# modkv node configuration.");
        out.println("#");
        out.println("# Every key that the kernel and the plugins of this distribution read is below, commented out,");
        out.println("# with what it does, the values it allows and its default. Uncomment a line to change it.");
        out.println("#");
        out.println("#   Run a node with this file:   bin/modkv node --config conf/modkv.properties");
        out.println("#   Override a key at start:     bin/modkv node --config conf/modkv.properties --set KEY=VALUE");
        out.println("#   List plugins and keys:       bin/modkv plugins");
        out.println("#   Write this file afresh:      bin/modkv plugins --sample-config > conf/modkv.properties");
        out.println("#");
        out.println("# Keys of plugins that are not chosen are checked, then ignored; an unknown key or a bad value");
        out.println("# stops the node with a message naming it.");
        section("Kernel", out);
        keys(kernel, out);
        installedChoices(out);
        for (PluginKind kind : PluginKind.values()) {
            for (PluginDescription plugin : plugins) {
                if (plugin.kind() != kind) {
                    continue;
                }
                section(kind.label() + " plugin '" + plugin.name() + "' (" + plugin.module() + ")", out);
                if (!plugin.description().isBlank()) {
                    comment(plugin.description(), out);
                }
                if (plugin.schema().isEmpty()) {
                    out.println("# (no config keys)");
                }
                keys(plugin.schema(), out);
            }
        }
    }

    /**
     * For a distribution built with some of the plugins only: where the kernel's default choice
     * of a kind names a plugin that is not there, an uncommented line choosing from those that
     * are, so that the node starts with this file as it is.
     */
    private void installedChoices(PrintWriter out) {
        for (PluginKind kind : PluginKind.values()) {
            ConfigKey<?> key = kernel.keys().stream().filter(k -> k.name().equals(kind.configKey())).findFirst()
                    .orElse(null);
            if (key == null) {
                continue;
            }
            List<String> found = plugins.stream().filter(p -> p.kind() == kind).map(PluginDescription::name).toList();
            List<String> defaults = List.of(key.defaultText().split(",")).stream().map(String::trim)
                    .filter(n -> !n.isEmpty()).toList();
            if (found.containsAll(defaults) || (found.isEmpty() && (kind == PluginKind.STORAGE
                    || kind == PluginKind.REPLICATION))) {
                continue; // all there, or nothing to choose from: the node will say what is missing
            }
            String choice = switch (kind) {
                case STORAGE, REPLICATION -> found.get(0);
                case INDEX -> String.join(",", defaults.stream().filter(found::contains).toList());
                // A node needs some way in: any transport there is, when the defaults are gone.
                case TRANSPORT -> String.join(",", defaults.stream().anyMatch(found::contains)
                        ? defaults.stream().filter(found::contains).toList() : found);
            };
            out.println();
            comment("This distribution does not hold the default " + kind.label() + " plugin(s) " + defaults
                    + "; chosen from the ones it holds:", out);
            out.println(key.name() + "=" + escape(choice));
        }
    }

    private static void section(String title, PrintWriter out) {
        String bar = "#".repeat(Math.max(3, (WIDTH - title.length() - 2) / 2));
        out.println();
        out.println(bar + " " + title + " " + bar);
    }

    private static void keys(ConfigSchema schema, PrintWriter out) {
        for (ConfigKey<?> key : schema.keys()) {
            out.println();
            comment(key.doc(), out);
            out.println("# Allowed: " + key.type() + ". Default: " + PluginListing.shownDefault(key) + ".");
            out.println("#" + key.name() + "=" + escape(key.defaultText()));
        }
    }

    private static void comment(String text, PrintWriter out) {
        for (String line : TextBlocks.wrap(text, WIDTH - 2)) {
            out.println("# " + line);
        }
    }

    /** A value as {@link java.util.Properties#load} reads it back. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\t' -> escaped.append("\\t");
                case ' ' -> escaped.append(i == 0 ? "\\ " : " ");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
