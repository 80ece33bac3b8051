package org.modkv.storage.perkey;

import java.io.IOException;
import org.modkv.api.ApiVersion;
import org.modkv.api.PluginContext;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;

/**
 * The {@code perkey} storage plugin: every key is one plain file under the plugin's data
 * directory ({@code keys/3f/a2/user%3a42.kv}: a small checksummed header, the key, the
 * metadata, the value), replaced by temp file, fsync and atomic rename, so the data can be
 * inspected and backed up with ordinary tools. Batches are atomic across keys through a
 * durable intent log that recovery completes after a crash.
 *
 * <p>Config ({@code perkey.*}): {@code sync} ({@code always}, the default, or {@code none},
 * unsafe), {@code fanout.levels} (2), {@code lock.stripes} (1024), {@code pending.bytes}
 * (64MiB), {@code flush.delay.ms} (50), {@code flush.threads} (4); each key's documentation is
 * in {@link #configSchema()}.
 *
 * <p>Found through {@link java.util.ServiceLoader}; do not call it directly.
 */
public final class PerKeyStorageProvider implements StorageProvider {

    /** For {@link java.util.ServiceLoader}. */
    public PerKeyStorageProvider() {
    }

    @Override
    public String name() {
        return "perkey";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "one plain file per key (temp file, fsync, rename), atomic batches through an intent log";
    }

    @Override
    public ConfigSchema configSchema() {
        return PerKeyOptions.SCHEMA;
    }

    @Override
    public StorageEngine open(PluginContext context) throws IOException {
        return PerKeyStorageEngine.open(context.dataDir(), PerKeyOptions.from(context.config()));
    }
}
