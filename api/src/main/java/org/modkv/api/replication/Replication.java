package org.modkv.api.replication;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.NotLeaderException;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.EventLoopFsync;

/**
 * A running replication instance: the only path from client requests to storage. Thread-safe;
 * methods never block, they return futures completed by whoever finishes the work.
 *
 * <p>Futures fail with {@link org.modkv.api.ModkvException}s: {@link NotLeaderException} when
 * this node cannot serve and cannot forward, {@code UNAVAILABLE} when too few replicas answer.
 */
public interface Replication extends AutoCloseable {

    /**
     * Replicates an atomic batch. The batch is copied before this returns. The future
     * completes with the local storage sequence once the batch is committed at the requested
     * consistency.
     */
    CompletableFuture<Long> write(WriteBatch batch, Consistency consistency);

    /**
     * Whether this replication decides conditional writes ({@link #writeIf}) in one order of all
     * writes, and stamps every put with a version (see {@link org.modkv.api.kv.RecordHeader}). The
     * default is {@code false}: a replication without a single order of writes (a masterless one)
     * cannot honour conditions.
     */
    default boolean decidesConditions() {
        return false;
    }

    /**
     * Applies {@code write} if all its conditions hold when it is decided, atomically, in the same
     * order as every other write (linearizable). The future completes with the outcome, or fails
     * like {@link #write}. The default refuses with {@link ErrorCode#CONDITIONS_UNSUPPORTED}.
     */
    default CompletableFuture<WriteOutcome> writeIf(ConditionalWrite write, Consistency consistency) {
        return CompletableFuture.failedFuture(new ModkvException(ErrorCode.CONDITIONS_UNSUPPORTED,
                "the replication in use (" + status().role().label() + ") cannot decide conditional writes "
                        + "(NX/XX, compare-and-set, counters, WATCH): it has no single order of writes; use "
                        + "replication=standalone or raft"));
    }

    /**
     * A read barrier for queries that read this node's derived state (indexes): completes with a
     * local storage sequence such that, once the local index has applied it, the query sees
     * every write acknowledged anywhere in the cluster before this call. Standalone answers its
     * storage's last sequence at once; Raft runs a read-index round and waits for the local
     * apply. Fails like {@link #read} when the cluster cannot answer.
     */
    CompletableFuture<Long> readBarrier();

    /** Reads one key at the requested consistency. */
    CompletableFuture<Optional<StoredRecord>> read(byte[] key, Consistency consistency);

    /**
     * The calling thread has finished a burst of requests; see
     * {@link org.modkv.api.storage.StorageEngine#endOfBurst(EventLoopFsync)}, which a replication
     * that writes to local storage on the caller's behalf passes it on to, with
     * {@code loopFsync}. The default does nothing.
     */
    default void endOfBurst(EventLoopFsync loopFsync) {
    }

    /** Role, leader and details, for INFO and stats. */
    ReplicationStatus status();

    /** Stops replicating; outstanding futures fail with {@code SHUTTING_DOWN}. */
    @Override
    void close();
}
