package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/** Small helpers shared by the engine-specific tests of this module. */
final class WalTestSupport {
    /** The defaults, with background merging off so that tests decide when files change. */
    static final WalOptions DEFAULTS = options();

    private WalTestSupport() {
    }

    /** Options from {@code key, value} pairs over the defaults; background merging off unless set. */
    static WalOptions options(String... keysAndValues) {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        values.put("wal.merge.interval.ms", "0");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return WalOptions.of(values);
    }

    static WalStorageEngine open(Path dir) throws IOException {
        return WalStorageEngine.open(dir, DEFAULTS, ChannelOpener.DEFAULT);
    }

    static WalStorageEngine open(Path dir, WalOptions options) throws IOException {
        return WalStorageEngine.open(dir, options, ChannelOpener.DEFAULT);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static long write(StorageEngine engine, WriteBatch batch) {
        return write(engine, batch, Durability.DURABLE);
    }

    static long write(StorageEngine engine, WriteBatch batch, Durability durability) {
        try {
            return engine.write(batch, durability).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("write failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    static long put(StorageEngine engine, String key, String value) {
        return write(engine, new WriteBatch().put(bytes(key), bytes(value)));
    }

    /** The value of {@code key} as text, or {@code null}. */
    static String value(StorageEngine engine, String key) throws IOException {
        Optional<StoredRecord> record = engine.get(bytes(key));
        return record.map(r -> new String(r.value(), StandardCharsets.UTF_8)).orElse(null);
    }
}
