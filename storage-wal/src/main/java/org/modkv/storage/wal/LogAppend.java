package org.modkv.storage.wal;

import java.util.concurrent.CompletableFuture;

/**
 * One durable-log append on its way through the ring to the group-commit agent. The entry is
 * the caller's bytes, copied; the future completes with {@link #index} once the entry is durable.
 */
record LogAppend(DurableLogFiles log, long index, byte[] entry, CompletableFuture<Long> future) {
}
