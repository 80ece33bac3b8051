package org.modkv.node.standalone;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.Replication;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.EventLoopFsync;

/**
 * Standalone replication: every consistency level is served by the one local copy. Writes are
 * offered to storage with {@link Durability#DURABLE}; the commit listener hears of them from
 * storage's completion callback, which the storage contract calls in sequence order (not from
 * a callback on the write's future, which may run on the writing thread and overtake others).
 */
final class StandaloneReplication implements Replication {
    private final StorageEngine storage;
    private final CommitListener commits;
    private volatile boolean closed;

    StandaloneReplication(StorageEngine storage, CommitListener commits) {
        this.storage = storage;
        this.commits = commits;
    }

    /** Standalone has no other node: every acknowledged write is in local storage already. */
    @Override
    public CompletableFuture<Long> readBarrier() {
        return CompletableFuture.completedFuture(storage.lastSequence());
    }

    @Override
    public CompletableFuture<Long> write(WriteBatch batch, Consistency consistency) {
        if (closed) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.SHUTTING_DOWN, "node is shutting down"));
        }
        WriteBatch committed = batch.copy();
        CompletableFuture<Long> result = new CompletableFuture<>();
        // The listener is told inside the completion, which storage calls in sequence order.
        storage.submit(committed, Durability.DURABLE, (sequence, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            commits.committed(sequence, committed);
            result.complete(sequence);
        });
        return result;
    }

    @Override
    public CompletableFuture<Optional<StoredRecord>> read(byte[] key, Consistency consistency) {
        try {
            return CompletableFuture.completedFuture(storage.get(key));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(ModkvException.fromStorage(e));
        }
    }

    @Override
    public void endOfBurst(EventLoopFsync loopFsync) {
        if (!closed) {
            storage.endOfBurst(loopFsync);
        }
    }

    @Override
    public ReplicationStatus status() {
        return new ReplicationStatus(ReplicationRole.STANDALONE, Optional.empty(), Map.of());
    }

    @Override
    public void close() {
        closed = true;
    }
}
