package org.modkv.storage.wal;

import java.io.IOException;
import org.modkv.api.ApiVersion;
import org.modkv.api.PluginContext;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;

/**
 * The {@code wal} storage plugin: a log-structured engine (Bitcask model). Every batch is one
 * checksummed record appended to segment files under the plugin's data directory; an
 * in-memory key directory points at the latest value of each key; opening replays the log,
 * cuts a torn tail left by a crash and refuses to start on corruption in the middle.
 *
 * <p>Config: {@code wal.sync} ({@code always}, the default: a durable write is acknowledged
 * after an fsync that covers it; {@code none}: acknowledged before any fsync, unsafe) and
 * {@code wal.segment.bytes} (default 64MiB).
 *
 * <p>Found through {@link java.util.ServiceLoader}; do not call it directly.
 */
public final class WalStorageProvider implements StorageProvider {

    /** For {@link java.util.ServiceLoader}. */
    public WalStorageProvider() {
    }

    @Override
    public String name() {
        return "wal";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "log-structured storage: checksummed write-ahead log with group commit and an in-memory key directory";
    }

    @Override
    public ConfigSchema configSchema() {
        return WalOptions.SCHEMA;
    }

    @Override
    public StorageEngine open(PluginContext context) throws IOException {
        return WalStorageEngine.open(context.dataDir(), WalOptions.from(context.config()), ChannelOpener.DEFAULT);
    }
}
