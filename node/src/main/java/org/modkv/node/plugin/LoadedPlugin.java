package org.modkv.node.plugin;

import org.modkv.api.Plugin;

/**
 * A discovered provider and where it came from.
 *
 * @param plugin the provider instance
 * @param module the JPMS module name (or "unnamed module" for a class-path provider)
 * @param location the jar or directory it was loaded from, for error messages
 */
public record LoadedPlugin(Plugin plugin, String module, String location) {
    public String describe() {
        return "module " + module + " (" + location + ")";
    }
}
