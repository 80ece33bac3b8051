package org.modkv.api.config;

/**
 * Validated config values. Every value was parsed against its {@link ConfigKey} before the
 * plugin started, so {@link #get} does not fail for a key of the plugin's own schema.
 * Thread-safe and immutable.
 */
public interface Config {

    /**
     * The value of {@code key}: the configured one, or the key's default.
     *
     * @throws ConfigException if the key is not part of the schema this config was built from
     */
    <T> T get(ConfigKey<T> key);

    /** Whether the user set the key explicitly (in the file or with {@code --set}). */
    boolean isSet(ConfigKey<?> key);
}
