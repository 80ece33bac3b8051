package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.modkv.api.ApiVersion;
import org.modkv.api.PluginContext;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.storage.StorageCheckReport;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;

/**
 * The {@code wal} storage plugin: a log-structured engine (Bitcask model) and the default
 * storage of a node. Writers copy batches into an Agrona ring buffer; one group-commit thread
 * appends them as checksummed records to segment files with one write and one fsync per group;
 * an off-heap key directory points at the latest entry of each key; a background merger
 * compacts sealed segments and writes hint files so restarts are fast; durable logs for Raft
 * share the same group commit. Opening cuts a torn tail left by a crash and refuses to start on
 * corruption in the middle.
 *
 * <p>Config: the {@code wal.*} keys of {@link WalOptions} ({@code wal.sync}, {@code
 * wal.sync.interval.ms}, {@code wal.segment.bytes}, {@code wal.ring.bytes}, {@code
 * wal.idle.strategy}, {@code wal.merge.*}, {@code wal.scrub.bytes.per.second}).
 *
 * <p>Runtime requirement: the {@code org.agrona} module with
 * {@code --add-exports java.base/jdk.internal.misc=org.agrona}.
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
        return "log-structured storage (Bitcask model): group-committed write-ahead log, off-heap key directory, "
                + "background merge with hint files, durable logs for Raft";
    }

    @Override
    public ConfigSchema configSchema() {
        return WalOptions.SCHEMA;
    }

    @Override
    public StorageEngine open(PluginContext context) throws IOException {
        return WalStorageEngine.open(context.dataDir(), WalOptions.from(context.config()), ChannelOpener.DEFAULT);
    }

    /**
     * Checks every record of every segment, merge output and durable-log file, every hint file
     * against its data file, and the merge commits, without changing anything; damage is
     * reported by file and byte offset. See {@code docs/design/integrity.md}.
     */
    @Override
    public Optional<StorageCheckReport> check(Path dir) throws IOException {
        return Optional.of(WalDirectoryCheck.check(dir));
    }
}
