package org.modkv.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.transport.EventLoopFsync;

/**
 * A node's keys. All methods are thread-safe.
 *
 * <p><b>Writes</b> are atomic batches: after a crash a batch is either wholly present or
 * wholly absent. {@link #offer} copies the batch before it returns and reports completion
 * later, from an engine thread, through a {@link WriteCompletion}. Batches complete in the
 * order their sequence numbers give, and a read that starts after a completion sees that batch.
 *
 * <p><b>Failures</b>: if the engine cannot make a batch durable (a failed fsync), it fails
 * that batch and every later one, and refuses new writes with
 * {@link ErrorCode#STORAGE_FAILURE}: the page cache can no longer be trusted.
 */
public interface StorageEngine extends AutoCloseable {

    /**
     * Hands a batch to the engine without blocking.
     *
     * @return {@code false} if the engine has no room now (back-pressure): nothing was written
     *     and {@code completion} will not be called; try again later
     * @throws ModkvException with {@link ErrorCode#STORAGE_FAILURE} after a storage failure,
     *     {@link ErrorCode#TOO_LARGE} if the batch can never fit, or
     *     {@link ErrorCode#SHUTTING_DOWN} after {@link #close()}
     */
    boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion);

    /**
     * Convenience over {@link #offer}: waits (parking, up to about 10 seconds) while the
     * engine pushes back, then fails with {@link ErrorCode#OVERLOADED}. Allocates; not for
     * the hot path. The future completes with the batch's sequence number.
     *
     * <p>Code that must act on completions in sequence order (a commit listener) uses
     * {@link #submit} instead: callbacks attached to this future may run on the writing
     * thread, if the batch completed before they were attached, and so out of order.
     */
    default CompletableFuture<Long> write(WriteBatch batch, Durability durability) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        submit(batch, durability, (sequence, failure) -> {
            if (failure == null) {
                result.complete(sequence);
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    /**
     * {@link #offer}, waiting (parking, up to about 10 seconds) while the engine pushes back.
     * {@code completion} is called exactly once: by the engine, in sequence order, once the
     * batch completes; or here, with the failure, if the engine refuses the batch
     * ({@link ErrorCode#OVERLOADED} when the wait runs out).
     */
    default void submit(WriteBatch batch, Durability durability, WriteCompletion completion) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long parkNs = 1_000;
        try {
            while (!offer(batch, durability, completion)) {
                if (System.nanoTime() > deadline) {
                    throw new ModkvException(ErrorCode.OVERLOADED,
                            "storage is overloaded: no room for the write after 10 s; retry later");
                }
                LockSupport.parkNanos(parkNs);
                parkNs = Math.min(parkNs * 2, 1_000_000);
            }
        } catch (RuntimeException e) {
            completion.complete(-1, e);
        }
    }

    /**
     * Tells the engine that the calling thread has finished a burst of {@link #offer}s or
     * {@link #submit}s (an event loop at the end of one pass over its ready connections) and has
     * nothing else to do right now. An engine may use the thread to commit what it was given
     * and call the completions before this returns, instead of handing the work to a thread of
     * its own, which saves two thread wake-ups per write and lets one commit cover the whole
     * burst. The default does nothing.
     *
     * <p>A thread that calls this once is taken to call it after every later burst too: an
     * engine may hold back waking its own writer for that thread's writes until the call. Never
     * call it while holding a lock a completion might need. It may block for one write and
     * fsync.
     *
     * @param loopFsync the calling event loop's way to fsync without blocking: an engine that
     *     commits here may start the burst's fsync with it and return, and complete the writes
     *     when the loop reports the fsync done ({@link EventLoopFsync} says on which thread it may
     *     be used). {@link EventLoopFsync#NONE} when the caller has none.
     */
    default void endOfBurst(EventLoopFsync loopFsync) {
    }

    /**
     * The record for {@code key}, if present. Reflects every completed write.
     *
     * @throws IOException if the record cannot be read (the message names file and offset)
     */
    Optional<StoredRecord> get(byte[] key) throws IOException;

    /**
     * Calls {@code visitor} for every live record, in no particular order, from the calling
     * thread. Writes that complete during a scan may or may not be seen. Used to rebuild
     * indexes and to take snapshots.
     */
    void scan(Consumer<StoredRecord> visitor) throws IOException;

    /**
     * As {@link #scan}, except that a record whose stored bytes are damaged does not end the scan:
     * it is handed to {@code damaged} (the same error a {@link #get} of it throws) and the scan goes
     * on with the next record. For derived data such as indexes, which must not stop the node
     * over a value the node refuses to serve anyway; a snapshot uses {@link #scan}, which fails.
     * The default is {@link #scan}: an engine that cannot go on past damage ends the scan with
     * the {@link CorruptDataException}.
     */
    default void scanSkippingDamage(Consumer<StoredRecord> visitor, Consumer<CorruptDataException> damaged)
            throws IOException {
        scan(visitor);
    }

    /** Number of live keys. */
    long keyCount();

    /**
     * The highest sequence number completed so far (0 when nothing was ever written).
     * Survives restarts.
     */
    long lastSequence();

    /**
     * Numbers that describe the engine (keys, bytes, segments, fsync latency...), by name,
     * in a stable order. Values are {@link Number}s or {@link String}s.
     */
    default Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("keys", keyCount());
        stats.put("last_sequence", lastSequence());
        return stats;
    }

    /**
     * Writes a consistent copy of every record to {@code out} (replication snapshots). The
     * default uses {@link #scan} and {@link SnapshotFormat}, so it is consistent when the
     * engine's scan is point-in-time or when no write completes during it (a replication plugin
     * pauses applying while it takes one); engines may do better.
     */
    default void checkpoint(OutputStream out) throws IOException {
        SnapshotFormat.write(this, out);
    }

    /**
     * Replaces the whole content of the engine with a checkpoint written by
     * {@link #checkpoint}. Durable when it returns.
     */
    default void restore(InputStream in) throws IOException {
        SnapshotFormat.restore(this, in);
    }

    /**
     * The durable-log capability, if the engine offers it: a separate, append-only log named
     * {@code name} (e.g. {@code raft}) kept beside the key space and committed with the same
     * group commit.
     */
    default Optional<DurableLog> openLog(String name) throws IOException {
        return Optional.empty();
    }

    /** Flushes and releases files. Writes offered after this fail with SHUTTING_DOWN. */
    @Override
    void close() throws IOException;
}
