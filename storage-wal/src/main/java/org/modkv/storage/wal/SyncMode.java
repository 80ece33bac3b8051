package org.modkv.storage.wal;

/** When a {@code DURABLE} write is acknowledged: the {@code wal.sync} setting. */
enum SyncMode {
    /** After an fsync that covers the write. One fsync covers every write drained with it. */
    ALWAYS("always"),
    /**
     * After an fsync that covers the write, but fsyncs run at most once per
     * {@code wal.sync.interval.ms}: fewer fsyncs, longer waits. Writes arriving meanwhile wait,
     * and when the engine's buffers fill, writers are pushed back rather than fsync'ing early.
     */
    BATCH("batch"),
    /**
     * As soon as the write is in the OS page cache, without fsync. Unsafe: an OS crash or power
     * loss can lose acknowledged writes (a crash of the process alone cannot).
     */
    NONE("none");

    private final String configValue;

    SyncMode(String configValue) {
        this.configValue = configValue;
    }

    String configValue() {
        return configValue;
    }

    static SyncMode fromConfig(String value) {
        for (SyncMode mode : values()) {
            if (mode.configValue.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown wal.sync value '" + value + "'");
    }
}
