package org.modkv.node;

import org.modkv.api.PluginKind;
import org.modkv.api.config.ConfigSchema;

/**
 * A discovered plugin, as {@code modkv plugins} shows it.
 *
 * @param name the name used in config
 * @param kind storage, replication, index or transport
 * @param description one line from the plugin
 * @param module its JPMS module
 * @param location the jar or directory it came from
 * @param schema its config keys
 * @param moduleVersion its module's version, empty when it has none
 * @param apiVersion the modkv API version it was built against
 * @param directory the plugin directory it was loaded from, or "module path" / "embedded"
 */
public record PluginDescription(String name, PluginKind kind, String description, String module, String location,
                                ConfigSchema schema, String moduleVersion, String apiVersion, String directory) {
}
