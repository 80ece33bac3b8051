package org.modkv.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * The {@code wal} engine, Bitcask style: every batch is appended as one checksummed record
 * to a segmented log ({@link WalLog}, format in {@link WalRecordFormat}) by the
 * {@link GroupCommitWriter}; an in-memory {@link KeyDirectory} maps each live key to its
 * latest value in the log, so a read is one map lookup and one positional file read. Opening
 * replays the log into the directory ({@link WalRecovery}).
 *
 * <p>There is no compaction yet: overwritten and deleted values stay in the log.
 */
final class WalStorageEngine implements StorageEngine {
    private static final System.Logger LOG = System.getLogger(WalStorageEngine.class.getName());

    private final WalOptions options;
    private final WalLog log;
    private final KeyDirectory directory;
    private final GroupCommitWriter writer;
    private volatile boolean closed;

    private WalStorageEngine(WalOptions options, WalLog log, KeyDirectory directory) {
        this.options = options;
        this.log = log;
        this.directory = directory;
        this.writer = new GroupCommitWriter(log, directory, options.sync());
    }

    /** Opens (creating if needed) the log in {@code dir} and recovers it. */
    static WalStorageEngine open(Path dir, WalOptions options, ChannelOpener opener) throws IOException {
        KeyDirectory directory = new KeyDirectory();
        WalLog log = WalRecovery.recover(dir, options, opener, directory);
        WalStorageEngine engine = new WalStorageEngine(options, log, directory);
        engine.writer.start();
        LOG.log(System.Logger.Level.INFO, "write-ahead log " + dir + " open: " + directory.count() + " keys, "
                + log.segmentCount() + " segments, last sequence " + log.recoveredSequence() + ", wal.sync="
                + options.sync().configValue());
        return engine;
    }

    @Override
    public boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(completion, "completion");
        return writer.offer(batch, durability, completion);
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) throws IOException {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        ValueLocation location = directory.get(key);
        if (location == null) {
            return Optional.empty();
        }
        return Optional.of(new StoredRecord(key.clone(), readValue(location), location.metadata().clone()));
    }

    @Override
    public void scan(Consumer<StoredRecord> visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        ensureOpen();
        try {
            directory.forEach((key, location) -> {
                try {
                    visitor.accept(new StoredRecord(key.toByteArray(), readValue(location),
                            location.metadata().clone()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private byte[] readValue(ValueLocation location) throws IOException {
        try {
            return location.segment().read(location.valueOffset(), location.valueLength());
        } catch (ClosedChannelException e) {
            ensureOpen();
            throw new IOException("cannot read " + location.valueLength() + " bytes at byte offset "
                    + location.valueOffset() + " of " + location.segment().path() + ": the read was interrupted", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + location.valueLength() + " bytes at byte offset "
                    + location.valueOffset() + " of " + location.segment().path() + ": " + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "storage is closed: the node is shutting down");
        }
    }

    @Override
    public long keyCount() {
        return directory.count();
    }

    @Override
    public long lastSequence() {
        return writer.lastCompletedSequence();
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("keys", keyCount());
        stats.put("last_sequence", lastSequence());
        stats.put("segments", log.segmentCount());
        stats.put("live_bytes", directory.liveBytes());
        stats.put("total_bytes", log.totalBytes());
        stats.put("fsyncs", log.fsyncs());
        stats.put("last_fsync_micros", log.lastFsyncMicros());
        stats.put("sync", options.sync().configValue());
        stats.put("failed", writer.failure() != null);
        return stats;
    }

    /**
     * Completes every accepted write, forces the log (unless a storage failure happened) and
     * closes the files. Idempotent.
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        writer.close();
        log.close(writer.failure() == null);
    }

    @Override
    public String toString() {
        return "WalStorageEngine(" + log.dir() + ")";
    }
}
