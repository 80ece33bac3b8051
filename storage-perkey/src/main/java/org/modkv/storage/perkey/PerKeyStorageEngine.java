package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * The {@code perkey} engine: one plain file per key, so the data can be read, copied and
 * backed up with ordinary tools; atomic multi-key batches through an intent log.
 *
 * <p><b>A write</b> goes through three owners, each with one job:
 * <ol>
 *   <li>{@link IntentCommitter} (one thread): numbers the batch, writes it with the others
 *       waiting into one intent file, fsyncs file and directory (the batch is now durable),
 *       publishes it to the {@link WriteOverlay} under the lock stripes of all its keys (now it
 *       is visible, all at once).
 *   <li>{@link WriteOverlay}: the durable changes not yet in key files; reads look here first.
 *   <li>{@link KeyFileFlusher} (one thread plus a small pool): writes each changed key as
 *       temp file, fsync, rename, then fsyncs the directories, records a checkpoint and
 *       deletes the intent files it covers.
 * </ol>
 * <b>Acknowledgement</b> ({@code perkey.ack}): with {@code files}, the default, a write
 * completes after the flush that puts its key files in place, so the files always hold every
 * acknowledged write; the writes that arrive while one flush runs share the next, so
 * concurrent writers share the fsyncs. With {@code intent} it completes as soon as it is
 * durable in the intent log: a batch of 2,000 keys then costs two fsyncs before its
 * acknowledgement instead of 4,000, and a key written 100 times a second is written to its file
 * once per {@code perkey.flush.delay.ms}; the files lag. Completions come in sequence order
 * either way, and a clean {@link #close()} leaves every change in the key files and
 * {@code intents/} empty.
 *
 * <p><b>Atomicity.</b> Readers: a batch is published under the write locks of all its keys'
 * stripes, taken in stripe order, and a lookup takes its key's stripe in read mode, so a read
 * sees a batch wholly or not at all; a key with no pending record has a current file, because
 * the flusher removes a record only after its file is in place. Crashes: every batch is in a
 * durable intent file before any key file changes, and an intent file is deleted only after
 * the checkpoint that covers it; recovery ({@link #open}) replays in order every batch after
 * the checkpoint, drops a torn newest intent file (never acknowledged), and refuses anything
 * else that is damaged. Concurrent batches on the same keys are serialised by the committer.
 *
 * <p><b>Durability.</b> {@link Durability#VISIBLE} gets no discount: publishing a batch before
 * its intent is durable could leave it half in the key files after a power loss, so every
 * batch waits for the intent fsync, which the whole group shares.
 *
 * <p><b>Start-up</b> reads every key file's header, never a value ({@link StartupScan}); there
 * is no in-memory index of keys, so memory does not grow with the data. The key count is kept
 * by the committer from whether each key's file exists.
 */
final class PerKeyStorageEngine implements StorageEngine {
    private static final System.Logger LOG = System.getLogger(PerKeyStorageEngine.class.getName());

    private final DataLayout layout;
    private final PerKeyOptions options;
    private final FileSync sync;
    private final KeyFileStore store;
    private final WriteOverlay overlay;
    private final IntentLog intents;
    private final WriteFailure failure;
    private final KeyFileFlusher flusher;
    private final IntentCommitter committer;
    private volatile boolean closed;

    private PerKeyStorageEngine(DataLayout layout, PerKeyOptions options, FileSync sync, KeyFileStore store,
                                WriteOverlay overlay, IntentLog intents, WriteFailure failure, KeyFileFlusher flusher,
                                AwaitingFiles awaitingFiles, long lastSequence, long keyCount) {
        this.layout = layout;
        this.options = options;
        this.sync = sync;
        this.store = store;
        this.overlay = overlay;
        this.intents = intents;
        this.failure = failure;
        this.flusher = flusher;
        this.committer = new IntentCommitter(intents, overlay, store, failure, options.pendingBytes(), flusher::signal,
                options.ackAfterFiles() ? awaitingFiles : null, lastSequence, keyCount);
    }

    /**
     * Opens (creating if needed) the data directory {@code dir} and recovers it: replays the
     * intent log into the key files, then checks every key file's header.
     *
     * @throws IOException if the directory is in use, damaged, or laid out differently; the
     *     message names the file and offset
     */
    static PerKeyStorageEngine open(Path dir, PerKeyOptions options) throws IOException {
        long start = System.nanoTime();
        dir = dir.toAbsolutePath().normalize(); // the key files' paths are built and compared from it
        FileSync sync = new FileSync(options.sync());
        DataLayout layout = DataLayout.open(dir, options, sync);
        KeyFileFlusher flusher = null;
        try {
            KeyFileStore store = new KeyFileStore(layout.keysDir(), layout.fanoutLevels(), sync);
            WriteOverlay overlay = new WriteOverlay(options.lockStripes());
            IntentLog intents = new IntentLog(layout.intentsDir(), sync);
            WriteFailure failure = new WriteFailure(dir);
            long checkpointed = CheckpointFile.read(dir);
            List<IntentLog.Redo> redo = intents.recover(checkpointed);
            AwaitingFiles awaitingFiles = new AwaitingFiles();
            flusher = new KeyFileFlusher(dir, store, overlay, intents, sync, failure, awaitingFiles, options,
                    checkpointed);
            long lastSequence = checkpointed;
            for (IntentLog.Redo batch : redo) {
                overlay.publish(PendingRecord.fromBatch(batch.batch().encodedBuffer(), batch.batch().encodedLength(),
                        batch.sequence()));
                lastSequence = batch.sequence();
            }
            if (!redo.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "perkey {0}: completing {1} batches (sequences {2}..{3}, {4} keys) "
                        + "from the intent log into the key files before serving", dir, redo.size(),
                        redo.get(0).sequence(), lastSequence, overlay.size());
                flusher.flushThrough(lastSequence, "perkey " + dir + ": key files written from the intent log");
                LOG.log(System.Logger.Level.INFO, "perkey {0}: completed {1} batches (sequences {2}..{3}) from the "
                        + "intent log", dir, redo.size(), redo.get(0).sequence(), lastSequence);
            }
            StartupScan.Result scan = StartupScan.run(store);
            lastSequence = Math.max(lastSequence, scan.maxSequence());
            PerKeyStorageEngine engine = new PerKeyStorageEngine(layout, options, sync, store, overlay, intents,
                    failure, flusher, awaitingFiles, lastSequence, scan.keys());
            flusher.start(engine.committer::lastCommitted);
            engine.committer.start();
            LOG.log(System.Logger.Level.INFO, "perkey {0} open in {1} ms: {2} keys, last sequence {3}, "
                    + "perkey.sync={4}, perkey.ack={5}, fan-out levels {6}", dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), scan.keys(), lastSequence,
                    options.sync() ? "always" : "none", options.ackAfterFiles() ? "files" : "intent",
                    layout.fanoutLevels());
            return engine;
        } catch (IOException | RuntimeException e) {
            if (flusher != null) {
                flusher.shutdownPool();
            }
            layout.close();
            throw e;
        }
    }

    /**
     * Copies the batch and queues it for the committer thread; it completes once its intent is
     * durable and it is visible, and with {@code perkey.ack=files} once its key files are in
     * place too. {@code durability} is not used: see the class comment.
     */
    @Override
    public boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(completion, "completion");
        return committer.offer(batch, completion);
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) throws IOException {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        KeyBytes wrapped = KeyBytes.wrap(key);
        PendingRecord pending = overlay.lookup(wrapped);
        if (pending != null) {
            return pending.isDelete() ? Optional.empty() : Optional.of(pending.toStoredRecord());
        }
        return store.read(wrapped);
    }

    /**
     * A point-in-time scan: the pending records are copied between two batches, and the key
     * files are walked while no flush changes them, so the scan shows the engine exactly as it
     * was at the copy, never part of a batch (replication snapshots rely on it). Writes go on
     * meanwhile, but with {@code perkey.ack=files} their acknowledgements wait for the scan, so
     * the visitor must not wait for a write to this engine.
     */
    @Override
    public void scan(Consumer<StoredRecord> visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        ensureOpen();
        flusher.whileFilesStandStill(() -> scanLocked(visitor));
    }

    private void scanLocked(Consumer<StoredRecord> visitor) throws IOException {
        Map<KeyBytes, PendingRecord> pending = overlay.copy();
        Set<KeyBytes> seen = new HashSet<>();
        store.walk((file, attributes) -> {
            if (!file.getFileName().toString().endsWith(KeyFileNames.KEY_SUFFIX)) {
                return;
            }
            StoredRecord record;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                record = KeyFileFormat.read(file, channel);
            } catch (NoSuchFileException e) {
                return;
            }
            KeyBytes key = KeyBytes.wrap(record.key());
            PendingRecord newer = pending.get(key);
            if (newer == null) {
                visitor.accept(record);
            } else {
                seen.add(key);
                if (!newer.isDelete()) {
                    visitor.accept(newer.toStoredRecord());
                }
            }
        });
        for (PendingRecord record : pending.values()) {
            if (!record.isDelete() && !seen.contains(record.key)) {
                visitor.accept(record.toStoredRecord());
            }
        }
    }

    @Override
    public long keyCount() {
        return committer.keyCount();
    }

    @Override
    public long lastSequence() {
        return committer.lastCommitted();
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("keys", keyCount());
        stats.put("last_sequence", lastSequence());
        stats.put("checkpoint_sequence", flusher.checkpointed());
        stats.put("pending_keys", overlay.size());
        stats.put("pending_bytes", overlay.bytes());
        stats.put("intent_files", intents.liveFiles());
        stats.put("flushes", flusher.flushes());
        stats.put("key_files_written", flusher.filesWritten());
        stats.put("key_files_deleted", flusher.filesDeleted());
        stats.put("fsyncs", sync.count());
        stats.put("sync", options.sync() ? "always" : "none");
        stats.put("ack", options.ackAfterFiles() ? "files" : "intent");
        stats.put("fanout_levels", layout.fanoutLevels());
        stats.put("failed", failure.get() != null);
        return stats;
    }

    /**
     * Completes every accepted write, writes every pending change to its key file and
     * checkpoints (unless a storage failure happened), and releases the directory. Idempotent.
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        committer.close();
        flusher.close();
        layout.close();
        ModkvException failed = failure.get();
        if (failed != null) {
            LOG.log(System.Logger.Level.WARNING, "perkey {0} closed after a storage failure; the intent log will be "
                    + "replayed at the next start", layout.dir());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "storage is closed: the node is shutting down");
        }
    }

    @Override
    public String toString() {
        return "PerKeyStorageEngine(" + layout.dir() + ")";
    }

    /** For tests: writes every change committed so far to its key file and checkpoints, now. */
    void flushNow() throws IOException {
        flusher.flushThrough(committer.lastCommitted());
    }
}
