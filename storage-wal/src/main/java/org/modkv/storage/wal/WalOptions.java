package org.modkv.storage.wal;

import java.util.Map;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;

/**
 * The {@code wal.*} config keys and their parsed values.
 *
 * @param sync when durable writes are acknowledged
 * @param syncIntervalMs for {@link SyncMode#BATCH}: the shortest time between two fsyncs
 * @param segmentBytes size at which the log rolls to a new segment file (also the size of merge outputs)
 * @param ringBytes capacity of the ring buffer writers copy batches into (a power of two)
 * @param idleStrategy how the group-commit agent waits for work
 * @param mergeTriggerRatio dead/total entry bytes at which a sealed file is worth merging
 * @param mergeMinFiles how many such files make a merge worth running
 * @param mergeIntervalMs how often the merger looks for work; 0 turns background merging off
 * @param preallocate whether log segments are written (zeros) ahead of time by a background thread
 * @param callerCommits whether a thread that says its burst of writes has ended
 *     ({@code endOfBurst}) commits them itself rather than waking the group-commit thread
 * @param scrubBytesPerSecond how fast the background scrub checks sealed files; 0 turns it off
 */
record WalOptions(SyncMode sync, long syncIntervalMs, long segmentBytes, int ringBytes,
                  IdleStrategyOption idleStrategy, double mergeTriggerRatio, int mergeMinFiles,
                  long mergeIntervalMs, boolean preallocate, boolean callerCommits, long scrubBytesPerSecond) {

    static final ConfigKey<String> SYNC = ConfigKey.choice("wal.sync", SyncMode.ALWAYS.configValue(),
            "When a durable write is acknowledged. 'always': after an fsync of the log that covers it "
                    + "(one fsync covers every write waiting at that moment). 'batch': after an fsync too, but "
                    + "fsyncs run at most once per wal.sync.interval.ms, so writes wait longer and share more. "
                    + "'none': as soon as it is written to the OS, before any fsync - UNSAFE, an OS crash or "
                    + "power loss can lose acknowledged writes.",
            SyncMode.ALWAYS.configValue(), SyncMode.BATCH.configValue(), SyncMode.NONE.configValue());

    static final ConfigKey<Long> SYNC_INTERVAL_MS = ConfigKey.longInteger("wal.sync.interval.ms", 10, 1, 60_000,
            "With wal.sync=batch: the shortest time in milliseconds between two fsyncs of the log. "
                    + "Durable writes are acknowledged after the next fsync, so this bounds their extra wait.");

    static final ConfigKey<Long> SEGMENT_BYTES = ConfigKey.bytes("wal.segment.bytes", "64MiB", 1024, 1L << 30,
            "Size of one log segment file; the log rolls to a new file when the next record would pass it. "
                    + "A single batch larger than this gets a segment of its own. Merge outputs use the same size.");

    static final ConfigKey<Long> RING_BYTES = ConfigKey.bytes("wal.ring.bytes", "2MiB", 64 << 10, 1L << 30,
            "Capacity of the ring buffer that writers copy batches into (rounded up to a power of two). "
                    + "When it is full, writes are pushed back (the transport stops reading) rather than "
                    + "queued without bound. Batches larger than an eighth of it take a slower, allocating path.");

    static final ConfigKey<String> IDLE_STRATEGY = ConfigKey.choice("wal.idle.strategy",
            IdleStrategyOption.SLEEPING.configValue(),
            "How the group-commit thread waits when there is no work: 'sleeping' (park 1 ms while "
                    + "work is in flight, up to 20 ms when none is; a writer wakes it at once), 'backoff' (spin, yield, then park), 'yielding' or 'busy' (burn a "
                    + "core for the lowest latency; only on machines with cores to spare).",
            IdleStrategyOption.SLEEPING.configValue(), IdleStrategyOption.BACKOFF.configValue(),
            IdleStrategyOption.YIELDING.configValue(), IdleStrategyOption.BUSY.configValue());

    static final ConfigKey<Double> MERGE_TRIGGER_RATIO = ConfigKey.of("wal.merge.trigger.ratio",
            "decimal 0.0..1.0", "0.5",
            "A sealed segment becomes a merge candidate when this share of its entry bytes is dead "
                    + "(overwritten or deleted values, deletes). Lower merges sooner and writes more.",
            WalOptions::parseRatio);

    static final ConfigKey<Integer> MERGE_MIN_FILES = ConfigKey.integer("wal.merge.min.segments", 1, 1, 10_000,
            "A merge runs once at least this many sealed segments are merge candidates; it rewrites "
                    + "all the candidates together.");

    static final ConfigKey<Long> MERGE_INTERVAL_MS = ConfigKey.longInteger("wal.merge.interval.ms", 10_000, 0,
            86_400_000L, "How often, in milliseconds, the background merger looks for candidates (and writes "
                    + "hint files for newly sealed segments). 0 turns background merging off.");

    static final ConfigKey<Boolean> PREALLOCATE = ConfigKey.bool("wal.preallocate", true,
            "Write the next log segment's zeros ahead of time on a background thread, so that appends "
                    + "overwrite blocks already on disk and an fsync need not also write the file's length "
                    + "(on the development machine: about 1.6x faster fsyncs). Starts once a segment has "
                    + "seen 1 MiB of writes; costs one segment of disk space and writes every segment twice.");

    static final ConfigKey<Boolean> CALLER_COMMITS = ConfigKey.bool("wal.caller.commits", true,
            "Let a transport's event loop commit the writes it read in one pass over its connections "
                    + "itself, when it says the pass has ended and the group-commit thread is not busy: one "
                    + "write and fsync for the whole pass, run on the event loop as Redis does, instead of two "
                    + "thread hand-offs per write. Writes from other threads, and from event loops while the "
                    + "group-commit thread is busy, still go through the group-commit thread. false: every "
                    + "write goes through the group-commit thread.");

    static final ConfigKey<Long> SCRUB_BYTES_PER_SECOND = ConfigKey.bytes("wal.scrub.bytes.per.second", "0", 0,
            1L << 40, "Background scrub: check the CRC32C of every record of the sealed data files, over and over, "
                    + "at most this many bytes per second (e.g. 4MiB), so that damage in data nobody reads is found "
                    + "while a replica or a backup still has it. A damaged file is logged, counted in "
                    + "damaged_files and left out of merges; progress is in scrub_passes and scrub_bytes. Reads "
                    + "check what they serve whatever this says. 0 turns the scrub off.");

    static final ConfigSchema SCHEMA = ConfigSchema.of(SYNC, SYNC_INTERVAL_MS, SEGMENT_BYTES, RING_BYTES,
            IDLE_STRATEGY, MERGE_TRIGGER_RATIO, MERGE_MIN_FILES, MERGE_INTERVAL_MS, PREALLOCATE, CALLER_COMMITS,
            SCRUB_BYTES_PER_SECOND);

    static WalOptions from(Config config) {
        long ring = config.get(RING_BYTES);
        return new WalOptions(SyncMode.fromConfig(config.get(SYNC)), config.get(SYNC_INTERVAL_MS),
                config.get(SEGMENT_BYTES), (int) Math.min(1L << 30, Long.highestOneBit(ring - 1) << 1),
                IdleStrategyOption.fromConfig(config.get(IDLE_STRATEGY)), config.get(MERGE_TRIGGER_RATIO),
                config.get(MERGE_MIN_FILES), config.get(MERGE_INTERVAL_MS), config.get(PREALLOCATE),
                config.get(CALLER_COMMITS), config.get(SCRUB_BYTES_PER_SECOND));
    }

    /** Parses raw values against {@link #SCHEMA} (unset keys take their defaults). */
    static WalOptions of(Map<String, String> values) {
        return from(SCHEMA.bind(values));
    }

    /** The defaults of every key. */
    static WalOptions defaults() {
        return of(Map.of());
    }

    private static Double parseRatio(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a decimal number; use a value from 0.0 to 1.0");
        }
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("'" + text + "' is out of range; use a value from 0.0 to 1.0");
        }
        return value;
    }
}
