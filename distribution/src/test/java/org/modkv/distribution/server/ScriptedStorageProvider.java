package org.modkv.distribution.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.modkv.api.ApiVersion;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.PluginContext;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * An in-memory storage plugin ({@code storage=scripted}) whose writes a test scripts by key, on
 * the thread that offers them (a transport's event loop, under standalone replication):
 * <ul>
 *   <li>every write first runs the test's {@link #onWrite} action with its first key;</li>
 *   <li>a write whose first key starts with {@code fail:} fails with {@code STORAGE_FAILURE}, as
 *       after a failed fsync, and so does every later write;</li>
 *   <li>one whose first key starts with {@code hold:} waits until {@link #failHeldWrites()}
 *       fails it, on the thread that calls that.</li>
 * </ul>
 */
final class ScriptedStorageProvider implements StorageProvider {
    private volatile Consumer<String> onWrite = key -> { };
    private volatile Engine engine;

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public StorageEngine open(PluginContext context) {
        engine = new Engine();
        return engine;
    }

    /** Runs {@code action} with the first key of every later write, on the writing thread. */
    void onWrite(Consumer<String> action) {
        onWrite = action;
    }

    /** Fails every held write on the calling thread, as an fsync that returns an error there. */
    void failHeldWrites() {
        engine.failHeld();
    }

    private final class Engine implements StorageEngine {
        private final ConcurrentHashMap<ByteBuffer, StoredRecord> map = new ConcurrentHashMap<>();
        private final List<WriteCompletion> held = new ArrayList<>();
        private long sequence;
        private boolean failed;

        @Override
        public boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
            long written;
            String[] first = {null};
            batch.forEach((type, buf, ko, kl, vo, vl, mo, ml) -> {
                if (first[0] == null) {
                    first[0] = new String(buf, ko, kl, StandardCharsets.UTF_8);
                }
            });
            onWrite.accept(first[0]);
            synchronized (this) {
                if (!failed && first[0].startsWith("hold:")) {
                    held.add(completion);
                    return true;
                }
                if (failed || first[0].startsWith("fail:")) {
                    failed = true;
                    completion.complete(-1, failure("fsync failed (injected)"));
                    return true;
                }
                batch.forEach((type, buf, ko, kl, vo, vl, mo, ml) -> {
                    ByteBuffer key = ByteBuffer.wrap(Arrays.copyOfRange(buf, ko, ko + kl));
                    if (type == MutationType.PUT) {
                        map.put(key, new StoredRecord(key.array(), Arrays.copyOfRange(buf, vo, vo + vl),
                                Arrays.copyOfRange(buf, mo, mo + ml)));
                    } else {
                        map.remove(key);
                    }
                });
                written = ++sequence;
            }
            completion.complete(written, null);
            return true;
        }

        void failHeld() {
            List<WriteCompletion> failing;
            synchronized (this) {
                failed = true;
                failing = List.copyOf(held);
                held.clear();
            }
            failing.forEach(completion -> completion.complete(-1, failure("fsync failed (injected, late)")));
        }

        private ModkvException failure(String message) {
            return new ModkvException(ErrorCode.STORAGE_FAILURE, message);
        }

        @Override
        public Optional<StoredRecord> get(byte[] key) {
            return Optional.ofNullable(map.get(ByteBuffer.wrap(key)));
        }

        @Override
        public void scan(Consumer<StoredRecord> visitor) {
            map.values().forEach(visitor);
        }

        @Override
        public long keyCount() {
            return map.size();
        }

        @Override
        public synchronized long lastSequence() {
            return sequence;
        }

        @Override
        public void close() {
        }
    }
}
