package org.modkv.node.standalone;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.WriteDecider;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.Replication;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.time.Clock;
import org.modkv.api.transport.EventLoopFsync;

/**
 * Standalone replication: every consistency level is served by the one local copy. Writes are
 * offered to storage with {@link Durability#DURABLE}; the commit listener hears of them from
 * storage's completion callback, which the storage contract calls in sequence order (not from
 * a callback on the write's future, which may run on the writing thread and overtake others).
 *
 * <p>Every write is decided under one lock by a {@link WriteDecider}: its conditions are checked
 * against the writes decided before it, its puts get the next revision as their version, and it is
 * offered to storage before the lock is released, so storage's order is the decision order. The
 * revision counter starts at storage's last sequence, which grows by at least one per batch, so
 * a revision is never reused across restarts (docs/design/kv-api.md).
 */
final class StandaloneReplication implements Replication {
    private final StorageEngine storage;
    private final CommitListener commits;
    private final Clock clock;
    private final WriteDecider decider;
    private final Object decideLock = new Object();
    private long revision;
    private volatile boolean closed;

    StandaloneReplication(StorageEngine storage, CommitListener commits, Clock clock) {
        this.storage = storage;
        this.commits = commits;
        this.clock = clock;
        this.decider = new WriteDecider(storage::get);
        this.revision = storage.lastSequence();
    }

    @Override
    public boolean decidesConditions() {
        return true;
    }

    /** Standalone has no other node: every acknowledged write is in local storage already. */
    @Override
    public CompletableFuture<Long> readBarrier() {
        return CompletableFuture.completedFuture(storage.lastSequence());
    }

    @Override
    public CompletableFuture<Long> write(WriteBatch batch, Consistency consistency) {
        return writeIf(ConditionalWrite.unconditional(batch), consistency).thenApply(WriteOutcome::sequence);
    }

    @Override
    public CompletableFuture<WriteOutcome> writeIf(ConditionalWrite write, Consistency consistency) {
        if (closed) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.SHUTTING_DOWN, "node is shutting down"));
        }
        CompletableFuture<WriteOutcome> result = new CompletableFuture<>();
        synchronized (decideLock) {
            long version = revision + 1;
            WriteBatch committed;
            try {
                committed = decider.decide(write, version, clock.currentTimeMillis());
            } catch (IOException e) {
                return CompletableFuture.failedFuture(ModkvException.fromStorage(e));
            }
            if (committed == null) {
                return CompletableFuture.completedFuture(WriteOutcome.NOT_APPLIED);
            }
            revision = version;
            // The listener is told inside the completion, which storage calls in sequence order.
            storage.submit(committed, Durability.DURABLE, (sequence, failure) -> {
                decider.completed(version);
                if (failure != null) {
                    result.completeExceptionally(failure);
                    return;
                }
                commits.committed(sequence, committed);
                result.complete(new WriteOutcome(true, version, sequence));
            });
        }
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
