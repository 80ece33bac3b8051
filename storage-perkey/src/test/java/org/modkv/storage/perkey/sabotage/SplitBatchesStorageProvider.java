package org.modkv.storage.perkey.sabotage;

import java.io.IOException;
import org.modkv.api.ApiVersion;
import org.modkv.api.PluginContext;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/** Broken on purpose: writes each entry of a batch as a batch of its own, so a crash can split a batch. */
public final class SplitBatchesStorageProvider implements StorageProvider {
    private static final int HANG_FROM_BATCH = 3;

    @Override
    public String name() {
        return "perkey-split-batches";
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
        return new ForwardingStorageEngine(ForwardingStorageEngine.perkey().open(context)) {
            private int offered;
            private WriteCompletion unacknowledged; // touched only on the single writer thread
            private long unacknowledgedSequence;

            /**
             * Writes each entry as its own batch. Each batch is acknowledged only once the next
             * batch's first entry is durable, and from the 4th batch on the writer stops after that
             * first entry: so when the harness kills after 3 acknowledgements, the 4th batch is
             * always durably half-written, wherever the kill lands.
             */
            @Override
            public synchronized boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
                WriteBatch copy = batch.copy();
                int index = offered++;
                writer.execute(() -> {
                    long sequence = -1;
                    try {
                        int written = 0;
                        for (var mutation : copy.mutations()) {
                            WriteBatch single = new WriteBatch().add(mutation.type(), mutation.key(), 0,
                                    mutation.key().length, mutation.value(), 0, mutation.value().length,
                                    mutation.metadata(), 0, mutation.metadata().length);
                            sequence = inner.write(single, durability).get();
                            if (++written == 1) {
                                if (unacknowledged != null) {
                                    unacknowledged.complete(unacknowledgedSequence, null);
                                    unacknowledged = null;
                                }
                                if (index >= HANG_FROM_BATCH && copy.size() > 1) {
                                    Thread.sleep(Long.MAX_VALUE);
                                }
                            }
                        }
                        unacknowledged = completion;
                        unacknowledgedSequence = sequence;
                    } catch (Exception e) {
                        completion.complete(-1, e);
                    }
                });
                return true;
            }
        };
    }
}
