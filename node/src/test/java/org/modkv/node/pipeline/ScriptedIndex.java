package org.modkv.node.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.WriteBatch;

/**
 * An index a test steers: it can hold its applier in {@code apply} or {@code resync} until
 * released, fail on a poisoned key, and it records the threads queries run on. Query {@code all}
 * answers every key (sorted); each value is the key's text.
 */
final class ScriptedIndex implements Index {
    final Map<String, String> content = new ConcurrentHashMap<>();
    final List<Long> appliedSequences = new CopyOnWriteArrayList<>();
    final List<Long> resyncSequences = new CopyOnWriteArrayList<>();
    final List<String> queryThreads = new CopyOnWriteArrayList<>();
    final AtomicInteger commits = new AtomicInteger();
    volatile CountDownLatch applyGate;
    volatile CountDownLatch queryGate;
    volatile CountDownLatch resyncGate;
    /** Whether it says {@link #commitsConcurrently()}; a commit then holds at {@link #commitGate}. */
    volatile boolean concurrentCommits;
    volatile CountDownLatch commitGate;
    final CountDownLatch commitEntered = new CountDownLatch(1);
    volatile String commitThread;
    /** Commits and resyncs running now; {@link #overlapped} is set if ever two ran at once. */
    private final AtomicInteger commitsOrResyncs = new AtomicInteger();
    volatile boolean overlapped;
    final CountDownLatch applyEntered = new CountDownLatch(1);
    final CountDownLatch queryEntered = new CountDownLatch(1);
    final CountDownLatch resyncEntered = new CountDownLatch(1);
    /** A key whose put makes {@code apply} throw, once. */
    volatile String poison;
    volatile long applied;
    volatile long committedSequence;
    volatile boolean closed;
    /** Figures the index reports beside its document count (a test may name one the kernel reports too). */
    volatile Map<String, Object> extraStats = Map.of();

    ScriptedIndex(long committedSequence) {
        this.committedSequence = committedSequence;
        this.applied = committedSequence;
    }

    @Override
    public void apply(long sequence, WriteBatch batch) {
        applyEntered.countDown();
        await(applyGate);
        batch.forEach((type, buf, ko, kl, vo, vl, mo, ml) -> {
            String key = new String(buf, ko, kl, StandardCharsets.UTF_8);
            if (type == MutationType.PUT) {
                if (key.equals(poison)) {
                    poison = null;
                    throw new IllegalStateException("poisoned key " + key);
                }
                content.put(key, new String(buf, vo, vl, StandardCharsets.UTF_8));
            } else {
                content.remove(key);
            }
        });
        applied = sequence;
        appliedSequences.add(sequence);
    }

    @Override
    public void resync(long sequence, StoredData data) throws java.io.IOException {
        enterCommitOrResync();
        try {
            resyncEntered.countDown();
            await(resyncGate);
            resyncSequences.add(sequence);
            Index.super.resync(sequence, data);
        } finally {
            commitsOrResyncs.decrementAndGet();
        }
    }

    private void enterCommitOrResync() {
        if (commitsOrResyncs.incrementAndGet() > 1) {
            overlapped = true;
        }
    }

    @Override
    public long appliedSequence() {
        return applied;
    }

    @Override
    public void clear() {
        content.clear();
        applied = 0;
    }

    @Override
    public void commit() {
        enterCommitOrResync();
        try {
            long sequence = applied;
            commitThread = Thread.currentThread().getName();
            commitEntered.countDown();
            await(commitGate);
            committedSequence = sequence;
            commits.incrementAndGet();
        } finally {
            commitsOrResyncs.decrementAndGet();
        }
    }

    @Override
    public boolean commitsConcurrently() {
        return concurrentCommits;
    }

    @Override
    public IndexResult query(IndexQuery query) {
        queryThreads.add(Thread.currentThread().getName());
        queryEntered.countDown();
        await(queryGate);
        List<ScoredKey> hits = content.keySet().stream().sorted()
                .map(key -> new ScoredKey(key.getBytes(StandardCharsets.UTF_8), 1.0)).toList();
        return new IndexResult(hits, hits.size());
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> stats = new java.util.LinkedHashMap<>(extraStats);
        stats.put("documents", content.size());
        return stats;
    }

    @Override
    public void close() {
        closed = true;
    }

    private static void await(CountDownLatch gate) {
        if (gate != null) {
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
