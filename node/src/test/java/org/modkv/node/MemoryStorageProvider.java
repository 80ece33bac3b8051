package org.modkv.node;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.modkv.api.ApiVersion;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.PluginContext;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/** A small in-memory storage plugin, so kernel tests do not depend on a storage module. */
final class MemoryStorageProvider implements StorageProvider {
    static final ConfigKey<Integer> INITIAL = ConfigKey.integer("memory.initial.capacity", 16, 1, 1 << 20,
            "Initial map capacity.");

    private final String name;
    private final int apiVersion;

    MemoryStorageProvider() {
        this("memory", ApiVersion.CURRENT);
    }

    MemoryStorageProvider(String name, int apiVersion) {
        this.name = name;
        this.apiVersion = apiVersion;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int apiVersion() {
        return apiVersion;
    }

    @Override
    public ConfigSchema configSchema() {
        return name.equals("memory") ? ConfigSchema.of(INITIAL) : ConfigSchema.empty();
    }

    private volatile Engine opened;

    @Override
    public StorageEngine open(PluginContext context) {
        Engine engine = new Engine(context.config().get(INITIAL));
        opened = engine;
        return engine;
    }

    /**
     * Fails, on the calling thread, every write held so far (a batch whose first key is "held"
     * waits until then): as a write whose fsync fails later, with its completion on an event loop.
     */
    void failHeldWrites() {
        opened.failHeld();
    }

    /** The offline check, for the kernel's side of it: every file named {@code *.bad} is damaged at offset 7. */
    @Override
    public Optional<org.modkv.api.storage.StorageCheckReport> check(java.nio.file.Path dir) throws java.io.IOException {
        java.util.List<org.modkv.api.storage.StorageDamage> damage = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path file : files.sorted().toList()) {
                if (file.getFileName().toString().endsWith(".bad")) {
                    damage.add(new org.modkv.api.storage.StorageDamage(file, 7, "injected damage"));
                }
            }
        }
        return Optional.of(new org.modkv.api.storage.StorageCheckReport(dir, 1, 1, 1, damage, java.util.List.of()));
    }

    /** How many times the kernel passed a transport's {@code endOfBurst} on to an engine of this provider. */
    static final java.util.concurrent.atomic.AtomicInteger END_OF_BURSTS = new java.util.concurrent.atomic.AtomicInteger();
    /** The event loop's fsync the last of those calls carried. */
    static volatile org.modkv.api.transport.EventLoopFsync lastLoopFsync;

    private static final class Engine implements StorageEngine {
        private final ConcurrentHashMap<ByteBuffer, StoredRecord> map;
        private final java.util.List<WriteCompletion> held = new java.util.ArrayList<>();
        private long sequence;
        private volatile boolean closed;
        private boolean failed;

        /** A batch whose first key is "poison" simulates a failed fsync. */
        private static boolean poisoned(WriteBatch batch) {
            return hasKey(batch, "poison");
        }

        private static boolean hasKey(WriteBatch batch, String name) {
            boolean[] found = {false};
            batch.forEach((type, buf, ko, kl, vo, vl, mo, ml) -> found[0] |= new String(buf, ko, kl,
                    java.nio.charset.StandardCharsets.UTF_8).equals(name));
            return found[0];
        }

        void failHeld() {
            java.util.List<WriteCompletion> failing;
            synchronized (this) {
                failed = true;
                failing = java.util.List.copyOf(held);
                held.clear();
            }
            for (WriteCompletion completion : failing) {
                completion.complete(-1, new ModkvException(ErrorCode.STORAGE_FAILURE, "fsync failed (injected, late)"));
            }
        }

        Engine(int capacity) {
            map = new ConcurrentHashMap<>(capacity);
        }

        @Override
        public void endOfBurst(org.modkv.api.transport.EventLoopFsync loopFsync) {
            lastLoopFsync = loopFsync;
            END_OF_BURSTS.incrementAndGet();
        }

        @Override
        public synchronized boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
            if (closed) {
                throw new ModkvException(ErrorCode.SHUTTING_DOWN, "closed");
            }
            if (!failed && hasKey(batch, "held")) {
                held.add(completion);
                return true;
            }
            if (failed || poisoned(batch)) {
                failed = true; // like a failed fsync: this and every later write fail
                completion.complete(-1, new ModkvException(ErrorCode.STORAGE_FAILURE, "fsync failed (injected)"));
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
            completion.complete(++sequence, null);
            return true;
        }

        /** A get of "rotten" fails as a read of damaged data does. */
        @Override
        public Optional<StoredRecord> get(byte[] key) throws java.io.IOException {
            if (new String(key, java.nio.charset.StandardCharsets.UTF_8).equals("rotten")) {
                throw new org.modkv.api.storage.CorruptDataException(java.nio.file.Path.of("/data/rotten.wal"), 77,
                        "file /data/rotten.wal is corrupt at byte offset 77 (injected)");
            }
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
            closed = true;
        }
    }
}
