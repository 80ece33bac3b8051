package org.modkv.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.ApiVersion;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.Replication;
import org.modkv.api.replication.ReplicationContext;
import org.modkv.api.replication.ReplicationProvider;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/**
 * A replication that lends the commit listener one batch it reuses for every commit, and clears
 * and refills it with garbage as soon as {@code committed} returns: what the SPI allows.
 */
final class ReusingBatchReplicationProvider implements ReplicationProvider {
    @Override
    public String name() {
        return "reusing";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public Replication start(ReplicationContext context) {
        StorageEngine storage = context.storage();
        CommitListener commits = context.commits();
        WriteBatch lent = new WriteBatch();
        return new Replication() {
            @Override
            public CompletableFuture<Long> write(WriteBatch batch, Consistency consistency) {
                WriteBatch stored = batch.copy();
                CompletableFuture<Long> result = new CompletableFuture<>();
                storage.submit(stored, Durability.DURABLE, (sequence, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                        return;
                    }
                    synchronized (lent) {
                        lent.clear().addAll(stored);
                        commits.committed(sequence, lent);
                        lent.clear().put("garbage".getBytes(StandardCharsets.UTF_8),
                                "refilled right after the call".getBytes(StandardCharsets.UTF_8));
                    }
                    result.complete(sequence);
                });
                return result;
            }

            @Override
            public CompletableFuture<Long> readBarrier() {
                return CompletableFuture.completedFuture(storage.lastSequence());
            }

            @Override
            public CompletableFuture<Optional<StoredRecord>> read(byte[] key, Consistency consistency) {
                try {
                    return CompletableFuture.completedFuture(storage.get(key));
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public ReplicationStatus status() {
                return new ReplicationStatus(ReplicationRole.STANDALONE, Optional.empty(), Map.of());
            }

            @Override
            public void close() {
            }
        };
    }
}
