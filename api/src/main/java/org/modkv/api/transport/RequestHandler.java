package org.modkv.api.transport;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexResult;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.KeyPage;
import org.modkv.api.kv.KeyRange;
import org.modkv.api.kv.KeyUpdate;
import org.modkv.api.kv.UpdateResult;
import org.modkv.api.kv.VersionedValue;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.Consistency;
import org.modkv.api.storage.WriteBatch;

/**
 * The kernel's request pipeline, as transports see it. Every method is thread-safe and
 * non-blocking: it returns at once and completes the future later, possibly on another thread
 * (so a Netty event loop may call it and write the reply from the completion).
 *
 * <p>Failures arrive as {@link org.modkv.api.ModkvException}s whose message is fit to show
 * the client (limits broken, no such index, not the leader, overloaded...).
 */
public interface RequestHandler {

    /** The value of {@code key}, or empty. */
    CompletableFuture<Optional<byte[]>> get(byte[] key, Consistency consistency);

    /** The value of {@code key} with its version and expiry, or empty (also when expired). */
    CompletableFuture<Optional<VersionedValue>> getVersioned(byte[] key, Consistency consistency);

    /** Values of several keys, in the order asked. */
    CompletableFuture<List<Optional<byte[]>>> getAll(List<byte[]> keys, Consistency consistency);

    /** Stores {@code value} under {@code key} durably. */
    CompletableFuture<Void> put(byte[] key, byte[] value);

    /** Removes {@code key} durably; {@code true} if it was present. */
    CompletableFuture<Boolean> delete(byte[] key);

    /** Applies a batch of puts and deletes atomically; the batch is copied before return. */
    CompletableFuture<Void> write(WriteBatch batch);

    /**
     * Applies {@code write} atomically if every one of its conditions holds, decided in the same
     * order as every other write; the outcome says whether it applied and the version its puts
     * got. Fails with {@link org.modkv.api.ErrorCode#CONDITIONS_UNSUPPORTED} when the replication
     * in use cannot decide conditions.
     */
    CompletableFuture<WriteOutcome> writeIf(ConditionalWrite write);

    /**
     * A page of the keys in {@code range}, in unsigned byte order, skipping expired keys; resume
     * with {@code range.from(page.next())}. Consistency as for {@link #get} at the default level.
     * A key is never returned twice in one pass, whatever is written meanwhile.
     */
    CompletableFuture<KeyPage> range(KeyRange range);

    /**
     * Deletes every key (FLUSHALL): page by page in key order, each page one atomic delete batch,
     * replicated like any write; completes with the number of keys deleted. Not atomic as a whole:
     * a key written while it runs, behind its cursor, survives (docs/design/kv-api.md).
     */
    CompletableFuture<Long> deleteAll();

    /**
     * A read-modify-write of one key (INCR, GETSET, EXPIRE), atomic: decided on the version it
     * read, retried when another write to the key came first (see
     * {@link org.modkv.api.kv.KeyUpdates}). Needs conditional writes, like {@link #writeIf}.
     */
    CompletableFuture<UpdateResult> update(byte[] key, KeyUpdate update);

    /**
     * Asks the index named {@code indexName} (a plugin name, e.g. {@code fulltext}). With
     * {@link Freshness#FRESH} the answer sees every write acknowledged before the call, on any
     * node; the wait is bounded by {@code index.freshness.timeout.ms}.
     */
    CompletableFuture<IndexResult> query(String indexName, IndexQuery query, Freshness freshness);

    /** Node id, role, leader and key count. */
    NodeStatus status();

    /** Figures for {@code stats} and INFO, grouped by section name, in a stable order. */
    Map<String, Map<String, Object>> stats();

    /** The limits this node enforces. */
    RequestLimits limits();

    /**
     * The calling thread (a transport's event loop) has finished one pass over its ready
     * connections and submitted the requests it read. The kernel may use the thread to commit
     * those writes and complete their futures before this returns (it may block for one write
     * and fsync), so that one commit covers the whole burst without two thread wake-ups per
     * write. A transport that calls it once must call it after every later pass in which it
     * submitted writes; its writes may otherwise wait for storage's own writer to notice them.
     * The default does nothing. See
     * {@link org.modkv.api.storage.StorageEngine#endOfBurst(EventLoopFsync)}.
     *
     * @param loopFsync the calling loop's way to fsync without blocking, which storage may use for
     *     the fsync of this burst's writes; {@link EventLoopFsync#NONE} if the loop has none
     */
    default void endOfBurst(EventLoopFsync loopFsync) {
    }
}
