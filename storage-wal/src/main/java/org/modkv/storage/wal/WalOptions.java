package org.modkv.storage.wal;

import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;

/**
 * The {@code wal.*} config keys and their parsed values.
 *
 * @param sync when durable writes are acknowledged
 * @param segmentBytes size at which the log rolls to a new segment file
 */
record WalOptions(SyncMode sync, long segmentBytes) {

    static final ConfigKey<String> SYNC = ConfigKey.choice("wal.sync", SyncMode.ALWAYS.configValue(),
            "When a durable write is acknowledged. 'always': after an fsync of the log that covers it "
                    + "(one fsync covers every write waiting at that moment). 'none': as soon as it is "
                    + "written to the OS, before any fsync - UNSAFE, an OS crash or power loss can lose "
                    + "acknowledged writes.",
            SyncMode.ALWAYS.configValue(), SyncMode.NONE.configValue());

    static final ConfigKey<Long> SEGMENT_BYTES = ConfigKey.bytes("wal.segment.bytes", "64MiB", 1024, 1L << 30,
            "Size of one log segment file; the log rolls to a new file when the next record would pass it. "
                    + "A single batch larger than this gets a segment of its own.");

    static final ConfigSchema SCHEMA = ConfigSchema.of(SYNC, SEGMENT_BYTES);

    static WalOptions from(Config config) {
        return new WalOptions(SyncMode.fromConfig(config.get(SYNC)), config.get(SEGMENT_BYTES));
    }
}
