package org.modkv.api;

import org.modkv.api.config.ConfigSchema;

/**
 * What every provider has in common. Providers are found with {@link java.util.ServiceLoader}
 * (declare them with {@code provides} in {@code module-info}), so an implementation must have
 * a public no-argument constructor and must not do work in it.
 *
 * <p>Threading: the methods here are called once, from the kernel's start-up thread.
 */
public interface Plugin {

    /**
     * The name used in config to choose this plugin, e.g. {@code wal} for
     * {@code storage=wal}. Lower case letters, digits and dashes; unique per kind.
     */
    String name();

    /** Which kind of plugin this is; each provider interface answers it. */
    PluginKind kind();

    /**
     * The SPI version this plugin was built against. Implement it as
     * {@code return ApiVersion.CURRENT;} so the constant is compiled into the plugin.
     */
    int apiVersion();

    /** One line saying what the plugin does, shown by {@code modkv plugins}. */
    default String description() {
        return "";
    }

    /**
     * The config keys this plugin reads, all under its own prefix (e.g. {@code wal.*}).
     * Values are parsed and validated against the schema before the plugin starts.
     */
    default ConfigSchema configSchema() {
        return ConfigSchema.empty();
    }
}
