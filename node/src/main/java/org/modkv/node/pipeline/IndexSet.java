package org.modkv.node.pipeline;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexResult;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;

/**
 * The node's running indexes, each fed by its own {@link IndexApplier}. As the
 * {@link CommitListener} of replication it receives every applied batch and hands each index a
 * copy-free reference (batches given to it are already private copies).
 */
public final class IndexSet implements CommitListener, AutoCloseable {
    private final Map<String, IndexApplier> appliers = new LinkedHashMap<>();
    /** The appliers again, for the commit path: called for every write, it must not allocate an iterator. */
    private final IndexApplier[] applierArray;

    /** Takes ownership of {@code indexes} (name to open index). */
    public IndexSet(Map<String, Index> indexes) {
        indexes.forEach((name, index) -> appliers.put(name, new IndexApplier(name, index)));
        applierArray = appliers.values().toArray(IndexApplier[]::new);
    }

    /** Rebuilds indexes that are behind storage, then starts their applier threads. */
    public void start(StorageEngine storage) throws IOException {
        for (IndexApplier applier : appliers.values()) {
            applier.catchUp(storage);
            applier.start();
        }
    }

    @Override
    public void committed(long sequence, WriteBatch batch) {
        for (IndexApplier applier : applierArray) {
            applier.committed(sequence, batch);
        }
    }

    /**
     * Runs {@code query} on index {@code name}: with {@link Freshness#FRESH} once it has seen
     * every write committed so far, with {@link Freshness#STALE} at once.
     */
    public CompletableFuture<IndexResult> query(String name, IndexQuery query, Freshness freshness) {
        IndexApplier applier = appliers.get(name);
        if (applier == null) {
            String running = appliers.isEmpty() ? "this node runs no index (config key 'indexes')"
                    : "indexes running: " + String.join(", ", appliers.keySet());
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.NO_SUCH_INDEX,
                    "no such index '" + name + "'; " + running));
        }
        if (freshness == Freshness.STALE) {
            return CompletableFuture.supplyAsync(() -> applier.index().query(query), Runnable::run);
        }
        return applier.awaitCommitted().thenApply(ignored -> applier.index().query(query));
    }

    /** Per-index applied sequence and lag. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        appliers.forEach((name, applier) -> {
            stats.put(name + ".applied_sequence", applier.appliedSequence());
            stats.put(name + ".lag", applier.lag());
        });
        return stats;
    }

    @Override
    public void close() {
        appliers.values().forEach(IndexApplier::close);
    }
}
