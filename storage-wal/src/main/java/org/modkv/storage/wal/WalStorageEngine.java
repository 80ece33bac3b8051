package org.modkv.storage.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.CorruptDataException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.DurableLog;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;
import org.modkv.api.transport.EventLoopFsync;

/**
 * The {@code wal} engine, Bitcask style. Writers copy batches into a {@link WriteRing}; the
 * {@link GroupCommitAgent} appends each batch as one checksummed record to the active segment
 * ({@link DataFiles}, format in {@link WalRecordFormat}) with group commit, and points the
 * off-heap {@link KeyDirectory} at every entry, so a read is one lookup and one positional
 * read. Every read checks the entry it read against the {@link EntryChecksum} the directory
 * keeps, and refuses damaged data with a {@link CorruptDataException} naming file and offset
 * (counted as {@code corrupt_reads}); scans and checkpoints read through the same path. The
 * {@link SegmentMerger} rewrites sealed files in the background and leaves
 * {@link HintFile}s behind; opening loads hints and replays the rest ({@link WalRecovery}).
 * Durable logs for Raft ride the same group commit ({@link WalDurableLog}).
 *
 * <p>Threads: {@value GroupCommitAgent#ROLE} (the one writer), {@value MergeAgent#ROLE}
 * (unless merging is off) and {@value ScrubAgent#ROLE} (only with
 * {@code wal.scrub.bytes.per.second}), Agrona agents on daemon threads. Reads run on the caller.
 */
final class WalStorageEngine implements StorageEngine {
    private static final System.Logger LOG = System.getLogger(WalStorageEngine.class.getName());
    private static final Pattern LOG_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_READ_RETRIES = 1000;

    private final Path dir;
    private final WalOptions options;
    private final ChannelOpener opener;
    private final DataFiles files;
    private final KeyDirectory directory;
    private final WriteRing ring;
    private final GroupCommitAgent agent;
    private final AgentRunner agentRunner;
    private final SegmentMerger merger;
    private final MergeFailures mergeFailures;
    private final AgentRunner mergeRunner;
    /** {@code null} unless {@code wal.scrub.bytes.per.second} is set. */
    private final ScrubAgent scrub;
    private final AgentRunner scrubRunner;
    private final Map<String, WalDurableLog> logs = new LinkedHashMap<>();
    /** Reads refused because the entry failed its checksum. */
    private final LongAdder corruptReads = new LongAdder();
    private volatile boolean closed;

    private WalStorageEngine(Path dir, WalOptions options, ChannelOpener opener, WalRecovery.Recovered recovered) {
        this.dir = dir;
        this.options = options;
        this.opener = opener;
        this.files = recovered.files();
        this.directory = recovered.directory();
        this.ring = new WriteRing(options.ringBytes());
        this.agent = new GroupCommitAgent(ring, files, directory, options, Math.max(options.ringBytes(), 1 << 20),
                recovered.lastSequence());
        this.agentRunner = new AgentRunner(options.idleStrategy().newStrategy(agent::nothingInFlight), this::agentError,
                null, agent);
        this.merger = new SegmentMerger(files, directory);
        this.mergeFailures = new MergeFailures(dir.toString(), options.mergeIntervalMs() * 1_000_000L);
        this.mergeRunner = options.mergeIntervalMs() == 0 ? null : new AgentRunner(
                new SleepingMillisIdleStrategy(Math.min(options.mergeIntervalMs(), 100)), this::agentError, null,
                new MergeAgent(merger, mergeFailures, options));
        this.scrub = options.scrubBytesPerSecond() == 0 ? null
                : new ScrubAgent(files, options.scrubBytesPerSecond());
        this.scrubRunner = scrub == null ? null
                : new AgentRunner(new SleepingMillisIdleStrategy(10), this::agentError, null, scrub);
    }

    /**
     * Opens (creating if needed) the engine in {@code dir} and recovers it. A relative
     * {@code dir} is resolved against the working directory now, once: every path the engine
     * builds or compares is then absolute and normalized.
     */
    static WalStorageEngine open(Path dir, WalOptions options, ChannelOpener opener) throws IOException {
        long start = System.nanoTime();
        dir = dir.toAbsolutePath().normalize();
        WalRecovery.Recovered recovered = WalRecovery.recover(dir, options, opener);
        WalStorageEngine engine = new WalStorageEngine(dir, options, opener, recovered);
        AgentRunner.startOnThread(engine.agentRunner, WalStorageEngine::daemonThread);
        if (engine.mergeRunner != null) {
            AgentRunner.startOnThread(engine.mergeRunner, WalStorageEngine::daemonThread);
        }
        if (engine.scrubRunner != null) {
            AgentRunner.startOnThread(engine.scrubRunner, WalStorageEngine::daemonThread);
        }
        LOG.log(System.Logger.Level.INFO, "write-ahead log " + dir + " open in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + engine.keyCount() + " keys, "
                + engine.files.all().size() + " data files, last sequence " + recovered.lastSequence() + ", wal.sync="
                + options.sync().configValue());
        return engine;
    }

    private static Thread daemonThread(Runnable runnable) {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    }

    private void agentError(Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "unexpected error in a write-ahead log thread of " + dir, t);
    }

    @Override
    public boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(completion, "completion");
        return ring.offer(batch, durability, completion);
    }

    /**
     * With {@code wal.caller.commits}: runs the group commit on the calling thread (see
     * {@link GroupCommitAgent#commitOnCaller}), starting its fsync with {@code loopFsync} if it
     * can, and from now on this thread's writes no longer wake the group-commit thread.
     */
    @Override
    public void endOfBurst(EventLoopFsync loopFsync) {
        Objects.requireNonNull(loopFsync, "loopFsync (EventLoopFsync.NONE if the caller has none)");
        if (!options.callerCommits() || closed) {
            return;
        }
        ring.callerCommits();
        agent.commitOnCaller(loopFsync);
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) throws IOException {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        UnsafeBuffer keyBuffer = new UnsafeBuffer(key);
        KeyDirectory.Lookup lookup = new KeyDirectory.Lookup();
        for (int attempt = 0; attempt < MAX_READ_RETRIES; attempt++) {
            if (!directory.find(keyBuffer, 0, key.length, lookup)) {
                return Optional.empty();
            }
            DataFile file = files.byId(Location.fileId(lookup.location));
            if (file == null) {
                continue; // a merge replaced the file after the lookup: look again
            }
            long offset = Location.offset(lookup.location);
            ByteBuffer entry = ByteBuffer.allocate(lookup.entryLength);
            EntryChecksum checksum = new EntryChecksum();
            try {
                file.read(offset, entry);
            } catch (ClosedChannelException e) {
                if (file.isRetired()) {
                    continue;
                }
                ensureOpen();
                throw new IOException("cannot read " + lookup.entryLength + " bytes at byte offset " + offset + " of "
                        + file.path() + ": the read was interrupted", e);
            } catch (IOException e) {
                throw new IOException("cannot read " + lookup.entryLength + " bytes at byte offset " + offset + " of "
                        + file.path() + ": " + e.getMessage(), e);
            }
            int computed = checksum.of(entry.array(), 0, entry.capacity());
            if (computed != lookup.checksum) {
                if (file.isRetired()) {
                    continue; // a merge replaced the file while it was read: look again
                }
                throw corruptRead(file, offset, String.format("the entry of %d bytes fails its checksum (expected "
                        + "%08x, computed %08x)", lookup.entryLength, lookup.checksum, computed));
            }
            return Optional.of(decode(key, entry.array(), file, offset));
        }
        throw new IOException("cannot read key of " + key.length + " bytes: its file kept being replaced by merges");
    }

    /**
     * A read met damaged data: counts it, marks the file (reported once, and left out of merges),
     * and returns the error for the caller; the value is never returned.
     */
    private CorruptDataException corruptRead(DataFile file, long offset, String why) {
        corruptReads.increment();
        CorruptDataException e = SegmentReplay.corrupt(file, offset, why + "; the value is not served (other keys "
                + "are). Restore this key from a replica or a backup; 'modkv check' on the stopped node's data "
                + "directory lists all the damage");
        if (file.markDamaged()) {
            LOG.log(System.Logger.Level.ERROR, "a read found damaged data: " + e.getMessage());
        }
        return e;
    }

    /** The record in an entry read from disk (its checksum checked), checked against the key it was looked up by. */
    private StoredRecord decode(byte[] key, byte[] entry, DataFile file, long offset) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(entry);
        int keyLength = header.getInt(1);
        int valueLength = header.getInt(5);
        int metadataLength = header.getInt(9);
        int keyOffset = WalRecordFormat.ENTRY_HEADER_BYTES;
        if (entry[0] != MutationType.PUT.code() || keyLength != key.length
                || keyOffset + (long) keyLength + valueLength + metadataLength != entry.length
                || !Arrays.equals(entry, keyOffset, keyOffset + keyLength, key, 0, key.length)) {
            throw corruptRead(file, offset, "the key directory points at an entry that is not a put of the key "
                    + "looked up");
        }
        int valueOffset = keyOffset + keyLength;
        int metadataOffset = valueOffset + valueLength;
        return new StoredRecord(key.clone(), Arrays.copyOfRange(entry, valueOffset, metadataOffset),
                Arrays.copyOfRange(entry, metadataOffset, metadataOffset + metadataLength));
    }

    @Override
    public void scan(Consumer<StoredRecord> visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        ensureOpen();
        try {
            directory.forEachKey(key -> {
                try {
                    get(key).ifPresent(visitor);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void scanSkippingDamage(Consumer<StoredRecord> visitor, Consumer<CorruptDataException> damaged)
            throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        Objects.requireNonNull(damaged, "damaged");
        ensureOpen();
        try {
            directory.forEachKey(key -> {
                try {
                    get(key).ifPresent(visitor);
                } catch (CorruptDataException e) {
                    damaged.accept(e);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "storage is closed: the node is shutting down");
        }
    }

    @Override
    public long keyCount() {
        return directory.keyCount();
    }

    @Override
    public long lastSequence() {
        return agent.completedSequence();
    }

    @Override
    public Map<String, Object> stats() {
        long totalBytes = 0;
        long deadBytes = 0;
        int damagedFiles = 0;
        List<DataFile> all = files.all();
        for (DataFile file : all) {
            totalBytes += file.size();
            if (file.isDamaged()) {
                damagedFiles++;
            }
        }
        long liveBytes = directory.liveBytes();
        deadBytes = Math.max(0, totalBytes - liveBytes);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("keys", keyCount());
        stats.put("last_sequence", lastSequence());
        stats.put("segments", all.size());
        stats.put("live_bytes", liveBytes);
        stats.put("dead_bytes", deadBytes);
        stats.put("total_bytes", totalBytes);
        stats.put("fsyncs", files.fsyncs());
        stats.put("event_loop_fsyncs", agent.eventLoopFsyncs());
        stats.put("last_fsync_micros", files.lastFsyncMicros());
        agent.groupSizes().putStats(stats);
        stats.put("merges", merger.merges());
        stats.put("merge_reclaimed_bytes", merger.reclaimedBytes());
        stats.put("segment_hints_written", merger.segmentHintsWritten());
        stats.put("merge_failures", mergeFailures.failures());
        stats.put("merge_failures_in_a_row", mergeFailures.failuresInARow());
        stats.put("merge_last_error", mergeFailures.lastError());
        stats.put("merge_reclaiming", mergeRunner == null ? "off" : mergeFailures.reclaiming() ? "yes" : "no");
        stats.put("key_directory_offheap_bytes", directory.offHeapBytes());
        stats.put("corrupt_reads", corruptReads.sum());
        stats.put("damaged_files", damagedFiles);
        stats.put("scrub_passes", scrub == null ? 0 : scrub.passes());
        stats.put("scrub_bytes", scrub == null ? 0 : scrub.scrubbedBytes());
        stats.put("scrub_damaged_records", scrub == null ? 0 : scrub.damagedRecords());
        stats.put("sync", options.sync().configValue());
        stats.put("failed", agent.failure() != null);
        return stats;
    }

    @Override
    public Optional<DurableLog> openLog(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        if (!LOG_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("durable log name '" + name + "' must be 1-64 letters, digits, '-' "
                    + "or '_'");
        }
        ensureOpen();
        synchronized (logs) {
            WalDurableLog open = logs.get(name);
            if (open != null) {
                return Optional.of(open);
            }
            DurableLogFiles logFiles = DurableLogFiles.open(name, dir.resolve("log-" + name), options.segmentBytes(),
                    opener);
            WalDurableLog log = WalDurableLog.open(logFiles, ring, agent, this::logClosed);
            logs.put(name, log);
            return Optional.of(log);
        }
    }

    private void logClosed(WalDurableLog log) {
        synchronized (logs) {
            logs.remove(log.name(), log);
        }
    }

    /** Writes hints for sealed segments and merges every sealed file now (tests, maintenance). */
    void mergeNow() throws IOException {
        ensureOpen();
        merger.writeMissingHints();
        merger.mergeAll();
    }

    /** The id of the group-commit agent's thread (tests measure its allocation). */
    long groupCommitThreadId() {
        Thread thread = agentRunner.thread();
        return thread == null ? -1 : thread.getId();
    }

    DataFiles files() {
        return files;
    }

    GroupCommitAgent agent() {
        return agent;
    }

    SegmentMerger merger() {
        return merger;
    }

    KeyDirectory directory() {
        return directory;
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
        IOException failure = null;
        merger.stop();
        if (mergeRunner != null) {
            mergeRunner.close();
        }
        if (scrubRunner != null) {
            scrubRunner.close();
        }
        List<WalDurableLog> open;
        synchronized (logs) {
            open = new ArrayList<>(logs.values());
        }
        for (WalDurableLog log : open) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                failure = failure == null ? new IOException("closing durable log " + log.name() + " failed", e)
                        : failure;
            }
        }
        ring.close();
        ring.wakeConsumerNow(); // a parked agent notices the close now, not when its park ends
        while (!agent.awaitStopped(100) && !agentRunner.isClosed()) {
            Thread.onSpinWait();
        }
        agentRunner.close();
        try {
            files.close(agent.failure() == null);
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "WalStorageEngine(" + dir + ")";
    }
}
