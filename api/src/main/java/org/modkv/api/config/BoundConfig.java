package org.modkv.api.config;

import java.util.Map;
import java.util.Set;

/** {@link Config} holding values already parsed against a {@link ConfigSchema}. */
final class BoundConfig implements Config {
    private final ConfigSchema schema;
    private final Map<String, Object> values;
    private final Set<String> explicitlySet;

    BoundConfig(ConfigSchema schema, Map<String, Object> values, Set<String> explicitlySet) {
        this.schema = schema;
        this.values = values;
        this.explicitlySet = explicitlySet;
    }

    @Override
    public <T> T get(ConfigKey<T> key) {
        if (schema.key(key.name()).orElse(null) != key) {
            throw new ConfigException("config key " + key.name() + " is not part of this schema");
        }
        Object value = values.get(key.name());
        if (value == null) {
            return key.defaultValue();
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return typed;
    }

    @Override
    public boolean isSet(ConfigKey<?> key) {
        return explicitlySet.contains(key.name());
    }

    @Override
    public String toString() {
        return "Config" + values;
    }
}
