package org.modkv.storage.perkey.sabotage;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.modkv.api.ApiVersion;
import org.modkv.api.PluginContext;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/** Broken on purpose: acknowledges a write at once and writes it a little later. */
public final class EarlyAckStorageProvider implements StorageProvider {
    @Override
    public String name() {
        return "perkey-early-ack";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public ConfigSchema configSchema() {
        return ForwardingStorageEngine.perkey().configSchema();
    }

    @Override
    public StorageEngine open(PluginContext context) throws IOException {
        StorageEngine real = ForwardingStorageEngine.perkey().open(context);
        AtomicLong sequence = new AtomicLong(real.lastSequence());
        return new ForwardingStorageEngine(real) {
            @Override
            public boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
                WriteBatch copy = batch.copy();
                writer.execute(() -> {
                    try {
                        Thread.sleep(5);
                        inner.write(copy, durability).get();
                    } catch (Exception e) {
                        // nobody is waiting any more
                    }
                });
                completion.complete(sequence.incrementAndGet(), null);
                return true;
            }
        };
    }
}
