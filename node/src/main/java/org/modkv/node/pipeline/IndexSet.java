package org.modkv.node.pipeline;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.StoredData;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;

/**
 * The node's running indexes, each fed by its own {@link IndexApplier}, and the executor their
 * queries run on. As replication's {@link CommitListener} it hears of every applied batch; the
 * batch is lent for the call, so each applier queues a copy of its own. See
 * docs/design/indexes.md.
 */
public final class IndexSet implements CommitListener, AutoCloseable {
    private final Map<String, IndexApplier> appliers = new LinkedHashMap<>();
    /** The appliers again, for the commit path: called for every write, it must not allocate an iterator. */
    private final IndexApplier[] applierArray;
    private final IndexQueryExecutor queries;

    /** Takes ownership of {@code indexes} (name to open index). */
    public IndexSet(Map<String, Index> indexes, StoredData storedData, IndexPipelineSettings settings) {
        indexes.forEach((name, index) -> appliers.put(name, new IndexApplier(name, index, storedData, settings)));
        applierArray = appliers.values().toArray(IndexApplier[]::new);
        queries = new IndexQueryExecutor(settings.queryThreads(), settings.queryQueue());
    }

    /**
     * Catches every index up with storage on the calling thread (the node serves only once this
     * returns), then starts their applier threads.
     *
     * @throws IOException if an index cannot catch up (the message names it)
     */
    public void start(StorageEngine storage) throws IOException {
        long sequence = storage.lastSequence();
        start(sequence, sequence == 0 && storage.keyCount() > 0);
    }

    /** {@link #start(StorageEngine)} with storage's last sequence, and whether it holds keys written without one. */
    void start(long sequence, boolean keysWithoutSequence) throws IOException {
        for (IndexApplier applier : applierArray) {
            applier.catchUp(sequence, keysWithoutSequence);
        }
        for (IndexApplier applier : applierArray) {
            applier.start();
        }
    }

    @Override
    public void committed(long sequence, WriteBatch batch) {
        long now = System.nanoTime();
        for (IndexApplier applier : applierArray) {
            applier.committed(sequence, batch, now);
        }
    }

    @Override
    public void reset(long sequence) {
        for (IndexApplier applier : applierArray) {
            applier.reset(sequence);
        }
    }

    /**
     * Runs {@code query} on index {@code name}, on the query executor: with {@link Freshness#FRESH}
     * once the index is ready and has applied {@code readBarrier}'s sequence, with
     * {@link Freshness#STALE} at once (if the index is ready).
     */
    public CompletableFuture<IndexResult> query(String name, IndexQuery query, Freshness freshness,
                                                Supplier<CompletableFuture<Long>> readBarrier) {
        IndexApplier applier = appliers.get(name);
        if (applier == null) {
            String running = appliers.isEmpty() ? "this node runs no index (config key 'indexes')"
                    : "indexes running: " + String.join(", ", appliers.keySet());
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.NO_SUCH_INDEX,
                    "no such index '" + name + "'; " + running));
        }
        if (freshness == Freshness.STALE) {
            return queries.submit(() -> applier.query(query));
        }
        return readBarrier.get().thenCompose(applier::awaitApplied)
                .thenCompose(ready -> queries.submit(() -> applier.query(query)));
    }

    /** The state of index {@code name}, if it runs. */
    public Optional<IndexState> state(String name) {
        return Optional.ofNullable(appliers.get(name)).map(IndexApplier::state);
    }

    /** Per index: state, applied sequence, lag, queue, failures and the index's own figures. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        for (IndexApplier applier : applierArray) {
            applier.putStats(stats);
        }
        stats.put("queries_active", queries.active());
        stats.put("queries_queued", queries.queued());
        stats.put("queries_rejected", queries.rejected());
        return stats;
    }

    @Override
    public void close() {
        queries.close();
        for (IndexApplier applier : applierArray) {
            applier.close();
        }
    }
}
