package org.modkv.api.storage;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only log of entries numbered 1, 2, 3... with group commit: the capability Raft
 * keeps its log in ({@link StorageEngine#openLog}). Entries are opaque bytes (any length,
 * empty included); the log knows indexes, not terms.
 *
 * <p>The log holds the entries {@link #firstIndex()}..{@link #lastIndex()}. An entry is
 * readable as soon as its {@link #append} returns, and durable once its future completed.
 * Truncations take effect, durably, when they return. What survives a crash: every entry whose
 * append completed and every truncation that returned; an entry appended but not yet durable
 * may survive or not, but only after all the entries before it.
 *
 * <p>Errors: an index outside the held entries ({@link #read}, {@link #truncateSuffix} before
 * {@link #firstIndex()}) is refused with {@link IllegalArgumentException}. After
 * {@link #close()}, only {@link #firstIndex()}, {@link #lastIndex()} and {@code close} still
 * work; the other methods fail with {@link org.modkv.api.ErrorCode#SHUTTING_DOWN}
 * ({@code append} through its future).
 *
 * <p>Thread-safe: it may be called from any thread. (A simulated log is confined to its
 * simulation's thread instead, as everything in a deterministic simulation is.) Futures
 * complete on a thread of the log's choosing; do not block it.
 *
 * <p>{@code org.modkv.testkit.storage.DurableLogContract} checks all of this; every
 * implementation passes it.
 */
public interface DurableLog extends AutoCloseable {

    /**
     * Appends {@code entry} (copied before return) as index {@link #lastIndex()} + 1, which
     * {@link #lastIndex()} counts and {@link #read} returns once this returns; the future
     * completes with that index once the entry is durable, and then every earlier entry is
     * durable too. Appends complete in index order. An append made before a truncation still
     * completes with the index it was given, even if the truncation removed the entry: the
     * completion says the entry was durable at that index once, not that it still is.
     */
    CompletableFuture<Long> append(byte[] entry);

    /**
     * A copy of the entry at {@code index}.
     *
     * @throws IllegalArgumentException if {@code index} is outside {@link #firstIndex()}..{@link #lastIndex()}
     */
    byte[] read(long index) throws IOException;

    /** Index of the first entry still held (after prefix truncation), or lastIndex()+1 if empty. */
    long firstIndex();

    /** Index of the last entry appended, or firstIndex()-1 if empty. */
    long lastIndex();

    /**
     * Removes entries with index {@code >= fromIndex}, durably, before it returns; the next
     * append gets index {@code fromIndex}. Nothing happens when {@code fromIndex > lastIndex()}.
     *
     * @throws IllegalArgumentException if {@code fromIndex < firstIndex()}: those entries are already gone
     */
    void truncateSuffix(long fromIndex) throws IOException;

    /**
     * Drops the entries with index {@code < beforeIndex} (after a snapshot), durably, before it
     * returns: {@link #firstIndex()} becomes {@code beforeIndex}. Nothing happens when
     * {@code beforeIndex <= firstIndex()}. Past the end ({@code beforeIndex > lastIndex() + 1})
     * it empties the log and starts it over there: {@link #lastIndex()} becomes
     * {@code beforeIndex - 1} and the next append gets index {@code beforeIndex}.
     */
    void truncatePrefix(long beforeIndex) throws IOException;

    /** Waits until every append made before it is durable (their futures complete), then closes. Idempotent. */
    @Override
    void close() throws IOException;
}
