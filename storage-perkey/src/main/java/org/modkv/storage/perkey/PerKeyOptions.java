package org.modkv.storage.perkey;

import java.util.Map;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;

/**
 * The {@code perkey.*} config keys and their parsed values.
 *
 * @param sync whether anything is fsync'd ({@code perkey.sync})
 * @param fanoutLevels levels of fan-out directories for a new data directory
 * @param fanoutLevelsSet whether the user chose {@code fanoutLevels} (then it must match an
 *     existing data directory)
 * @param lockStripes number of reader/writer lock stripes
 * @param pendingBytes most bytes of acknowledged writes waiting for their key files
 * @param flushDelayMs how long the flusher gathers writes before a flush
 * @param flushThreads threads writing and fsyncing key files during a flush
 * @param ackAfterFiles whether a write is acknowledged only once its key files are in place
 *     ({@code perkey.ack=files}) rather than once its intent is durable ({@code intent})
 */
record PerKeyOptions(boolean sync, int fanoutLevels, boolean fanoutLevelsSet, int lockStripes, long pendingBytes,
                     int flushDelayMs, int flushThreads, boolean ackAfterFiles) {

    static final ConfigKey<String> ACK = ConfigKey.choice("perkey.ack", "files",
            "When a write is acknowledged. 'files': once every key file of the batch is in place (temp file, "
                    + "fsync, rename, directory fsync) and checkpointed, so what a client was told is written can "
                    + "be read and copied from the files at once; concurrent writes share the fsyncs. 'intent': "
                    + "once the batch is durable in the intent log (two fsyncs, whatever its size); key files "
                    + "follow in the background (perkey.flush.delay.ms), faster for large batches and hot keys. "
                    + "Both are durable and atomic across crashes; reads see a write as soon as it is durable "
                    + "either way.",
            "files", "intent");

    static final ConfigKey<String> SYNC = ConfigKey.choice("perkey.sync", "always",
            "'always': a write is acknowledged after its intent file and directory are fsync'd, and every key "
                    + "file is written as temp file, fsync, rename, directory fsync. 'none': nothing is fsync'd - "
                    + "UNSAFE, an OS crash or power loss can lose acknowledged writes and tear key files (a crash "
                    + "of the process alone cannot).",
            "always", "none");

    static final ConfigKey<Integer> FANOUT_LEVELS = ConfigKey.integer("perkey.fanout.levels", 2, 0,
            KeyFileNames.MAX_LEVELS,
            "Levels of fan-out directories above the key files, 256 per level, named by two hex digits of a "
                    + "hash of the key (2: keys/3f/a2/<key>.kv, 65,536 directories, about 1,500 files each at "
                    + "100 million keys). Fixed when the data directory is created; a different value for an "
                    + "existing directory is refused.");

    static final ConfigKey<Integer> LOCK_STRIPES = ConfigKey.integer("perkey.lock.stripes", 1024, 1, 1 << 16,
            "Reader/writer lock stripes that keep a batch invisible until all of it is visible; a read takes "
                    + "one stripe, a batch takes the stripes of all its keys. More stripes, fewer readers wait "
                    + "on unrelated batches.");

    static final ConfigKey<Long> PENDING_BYTES = ConfigKey.bytes("perkey.pending.bytes", "64MiB", 64L << 10,
            1L << 31,
            "Most bytes of acknowledged writes held in memory (and in intent files) before they are in their "
                    + "key files. When reached, writes push back until the flusher catches up. A batch larger "
                    + "than this is refused as too large.");

    static final ConfigKey<Integer> FLUSH_DELAY_MS = ConfigKey.integer("perkey.flush.delay.ms", 50, 0, 60_000,
            "With perkey.ack=intent: how long the flusher gathers acknowledged writes before writing key "
                    + "files, so a key written several times in that window is written to disk once (0 flushes at "
                    + "once). Key files then lag acknowledgements by at least this much (more under sustained "
                    + "load, up to perkey.pending.bytes); reads never do. Not used with perkey.ack=files, where "
                    + "the flusher starts as soon as a write waits.");

    static final ConfigKey<Integer> FLUSH_THREADS = ConfigKey.integer("perkey.flush.threads", 4, 1, 64,
            "Threads that write and fsync key files in parallel during a flush (fsyncs of different files "
                    + "overlap on most disks).");

    static final ConfigSchema SCHEMA = ConfigSchema.of(SYNC, FANOUT_LEVELS, LOCK_STRIPES, PENDING_BYTES,
            FLUSH_DELAY_MS, FLUSH_THREADS, ACK);

    static PerKeyOptions from(Config config) {
        return new PerKeyOptions(config.get(SYNC).equals("always"), config.get(FANOUT_LEVELS),
                config.isSet(FANOUT_LEVELS), config.get(LOCK_STRIPES), config.get(PENDING_BYTES),
                config.get(FLUSH_DELAY_MS), config.get(FLUSH_THREADS),
                config.get(ACK).equals("files"));
    }

    /** The defaults, for tests. */
    static PerKeyOptions defaults() {
        return from(SCHEMA.bind(Map.of()));
    }
}
