package org.example.prefixindex;

import org.modkv.api.ApiVersion;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.IndexProvider;

/**
 * The provider the node finds with ServiceLoader (declared in module-info): a public no-argument
 * constructor that does nothing, a name for config ({@code indexes=prefix}), and its keys.
 */
public final class PrefixIndexProvider implements IndexProvider {
    /** How many leading characters of each value are indexed; longer query prefixes are refused. */
    static final ConfigKey<Integer> MAX_CHARS = ConfigKey.integer("prefix.max.chars", 64, 1, 4096,
            "How many leading characters of each value the prefix index keeps; a query prefix may be "
                    + "at most this long. Memory grows with it.");

    @Override
    public String name() {
        return "prefix";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "Keys whose value starts with a text (query: prefix TEXT), in key order; kept in memory";
    }

    @Override
    public ConfigSchema configSchema() {
        return ConfigSchema.of(MAX_CHARS);
    }

    @Override
    public Index open(IndexContext context) {
        return new PrefixIndex(context.config().get(MAX_CHARS));
    }
}
