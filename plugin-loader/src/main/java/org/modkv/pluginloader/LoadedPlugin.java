package org.modkv.pluginloader;

import org.modkv.api.Plugin;

/**
 * A discovered provider and where it came from.
 *
 * @param plugin the provider instance
 * @param module the JPMS module name (or "unnamed module" for a class-path provider)
 * @param location the jar or directory it was loaded from, for error messages
 * @param moduleVersion the plugin module's version, empty when it has none
 * @param apiVersion the modkv API version it was built against (MAJOR.MINOR from its module
 *     descriptor or manifest; just the major, from {@link Plugin#apiVersion()}, for an
 *     embedded or class-path provider)
 * @param directory the plugin directory it was loaded from, or "module path" / "embedded"
 */
public record LoadedPlugin(Plugin plugin, String module, String location, String moduleVersion, String apiVersion,
                           String directory) {
    public String describe() {
        return "module " + module + " (" + location + ")";
    }
}
