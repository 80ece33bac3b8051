package org.modkv.api.storage;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only log of entries numbered 1, 2, 3... with group commit: the capability Raft
 * keeps its log in. Thread-safe.
 */
public interface DurableLog extends AutoCloseable {

    /**
     * Appends {@code entry} (copied before return) as index {@link #lastIndex()} + 1; the
     * future completes with that index once the entry is durable. Appends complete in order.
     */
    CompletableFuture<Long> append(byte[] entry);

    /** The entry at {@code index}. */
    byte[] read(long index) throws IOException;

    /** Index of the first entry still held (after prefix truncation), or lastIndex()+1 if empty. */
    long firstIndex();

    /** Index of the last entry appended, or firstIndex()-1 if empty. */
    long lastIndex();

    /** Removes entries with index {@code >= fromIndex}, durably, before it returns. */
    void truncateSuffix(long fromIndex) throws IOException;

    /** Allows entries with index {@code < beforeIndex} to be discarded (after a snapshot). */
    void truncatePrefix(long beforeIndex) throws IOException;

    @Override
    void close() throws IOException;
}
