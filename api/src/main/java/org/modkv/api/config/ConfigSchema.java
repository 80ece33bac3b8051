package org.modkv.api.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The set of config keys a plugin (or the kernel) reads. Immutable; key order is the order
 * of declaration and is the order {@code modkv plugins} and the sample config show.
 */
public final class ConfigSchema {
    private static final ConfigSchema EMPTY = new ConfigSchema(List.of());

    private final Map<String, ConfigKey<?>> keys;

    private ConfigSchema(Collection<ConfigKey<?>> keys) {
        Map<String, ConfigKey<?>> byName = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys) {
            if (byName.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException("config key " + key.name() + " is declared twice");
            }
        }
        this.keys = Collections.unmodifiableMap(byName);
    }

    public static ConfigSchema empty() {
        return EMPTY;
    }

    public static ConfigSchema of(ConfigKey<?>... keys) {
        return new ConfigSchema(List.of(keys));
    }

    /** Keys in declaration order. */
    public List<ConfigKey<?>> keys() {
        return new ArrayList<>(keys.values());
    }

    public Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /**
     * Parses and validates {@code values} (key name to raw text) against this schema. Keys not
     * in {@code values} take their defaults.
     *
     * @throws ConfigException naming the first key that is unknown to this schema or whose
     *     value is not allowed
     */
    public Config bind(Map<String, String> values) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            ConfigKey<?> key = keys.get(entry.getKey());
            if (key == null) {
                throw new ConfigException("unknown config key '" + entry.getKey() + "'; known keys: "
                        + String.join(", ", keys.keySet()));
            }
            parsed.put(key.name(), key.parse(entry.getValue()));
        }
        for (ConfigKey<?> key : keys.values()) {
            parsed.putIfAbsent(key.name(), null);
        }
        return new BoundConfig(this, parsed, Set.copyOf(values.keySet()));
    }
}
