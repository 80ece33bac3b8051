package org.modkv.storage.perkey.sabotage;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.storage.StoredRecord;

/**
 * A real {@code perkey} engine behind a wrapper whose write path a subclass breaks on purpose,
 * so a test can show that the crash harness notices. Reads go straight to the real engine;
 * writes run on one background thread.
 */
abstract class ForwardingStorageEngine implements StorageEngine {
    final StorageEngine inner;
    final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sabotaged-writer");
        thread.setDaemon(true);
        return thread;
    });

    ForwardingStorageEngine(StorageEngine inner) {
        this.inner = inner;
    }

    /** The real {@code perkey} provider, found as the kernel would find it (its class is not exported). */
    static StorageProvider perkey() {
        ForwardingStorageEngine.class.getModule().addUses(StorageProvider.class);
        return ServiceLoader.load(StorageProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("perkey")).findFirst()
                .orElseThrow(() -> new IllegalStateException("perkey provider not found"));
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) throws IOException {
        return inner.get(key);
    }

    @Override
    public void scan(Consumer<StoredRecord> visitor) throws IOException {
        inner.scan(visitor);
    }

    @Override
    public long keyCount() {
        return inner.keyCount();
    }

    @Override
    public long lastSequence() {
        return inner.lastSequence();
    }

    @Override
    public Map<String, Object> stats() {
        return inner.stats();
    }

    @Override
    public void close() throws IOException {
        writer.shutdownNow();
        inner.close();
    }
}
