package org.modkv.node.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.storage.WriteBatch;
import org.modkv.testkit.index.MapStoredData;

/** The kernel's index pipeline, driven directly: the test plays storage and replication. */
class IndexSetTest {
    private static final IndexQuery ALL = IndexQuery.of("all", List.of());

    private final MapStoredData storage = new MapStoredData();
    private ScriptedIndex index;
    private IndexSet indexes;
    private long sequence;

    @AfterEach
    void close() {
        if (indexes != null) {
            indexes.close();
        }
    }

    private void start(ScriptedIndex scripted, IndexPipelineSettings settings) throws Exception {
        index = scripted;
        indexes = new IndexSet(Map.of("scripted", scripted), storage, settings);
        indexes.start(storage.lastSequence(), false);
    }

    private void start() throws Exception {
        start(new ScriptedIndex(0), IndexPipelineSettings.defaults());
    }

    private static IndexPipelineSettings settings(int threads, int queue, long freshnessMillis, long queueBytes) {
        return new IndexPipelineSettings(threads, queue, freshnessMillis, 50, queueBytes);
    }

    /** Storage applies the batch, then replication tells the listener (as a storage completion does). */
    private long write(WriteBatch batch) {
        sequence++;
        storage.apply(sequence, batch);
        indexes.committed(sequence, batch);
        return sequence;
    }

    private long put(String key, String value) {
        return write(new WriteBatch().put(key.getBytes(UTF_8), value.getBytes(UTF_8)));
    }

    private Map<String, String> storedContent() {
        Map<String, String> content = new TreeMap<>();
        storage.contents().forEach((k, v) -> content.put(new String(k, UTF_8), new String(v, UTF_8)));
        return content;
    }

    private CompletableFuture<IndexResult> fresh() {
        return indexes.query("scripted", ALL, Freshness.FRESH, () -> CompletableFuture.completedFuture(storage.lastSequence()));
    }

    private List<String> keys(IndexResult result) {
        return result.hits().stream().map(h -> new String(h.key(), UTF_8)).toList();
    }

    private static ModkvException failure(CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertTrue(e.getCause() instanceof ModkvException, String.valueOf(e.getCause()));
        return (ModkvException) e.getCause();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private Object stat(String name) {
        return indexes.stats().get("scripted." + name);
    }

    @Test
    void theKernelsFiguresAreNotOverwrittenByAnIndexFigureOfTheSameName() throws Exception {
        start();
        index.extraStats = Map.of("applied_sequence", -7L, "state", "made up", "own_figure", 3);
        long last = put("a", "1");
        fresh().join();
        assertEquals(last, stat("applied_sequence"), String.valueOf(indexes.stats()));
        assertEquals("ok", stat("state"));
        assertEquals(3, stat("own_figure"), "the index's other figures are reported");
    }

    @Test
    void aBatchLentToCommittedMayBeClearedAndRefilledAsSoonAsTheCallReturns() throws Exception {
        start();
        index.applyGate = new CountDownLatch(1); // the index is slow: batches wait in its queue
        WriteBatch reused = new WriteBatch(); // one batch the replication reuses for every commit
        for (int i = 0; i < 5; i++) {
            reused.clear().put(("k" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8));
            sequence++;
            storage.apply(sequence, reused);
            indexes.committed(sequence, reused);
            reused.clear().put("garbage".getBytes(UTF_8), "refilled after the call".getBytes(UTF_8));
        }
        index.applyGate.countDown();
        assertEquals(List.of("k0", "k1", "k2", "k3", "k4"), keys(fresh().join()));
        assertEquals(storedContent(), index.content);
    }

    @Test
    void anIndexWhoseApplyThrowsAnswersNoQueryUntilRebuiltFromStorage() throws Exception {
        start();
        put("a", "1");
        assertEquals(List.of("a"), keys(fresh().join()));
        index.resyncGate = new CountDownLatch(1); // hold the rebuild so the test can look at it
        index.poison = "bad";
        put("bad", "2");
        put("c", "3");
        assertTrue(index.resyncEntered.await(30, TimeUnit.SECONDS), "the kernel rebuilds the failed index");
        assertEquals("rebuilding", stat("state"));
        assertEquals(1L, stat("failures"));
        assertTrue(String.valueOf(stat("last_error")).contains("poisoned key bad"), String.valueOf(stat("last_error")));
        ModkvException stale = failure(indexes.query("scripted", ALL, Freshness.STALE, () -> null));
        assertEquals(ErrorCode.INDEX_NOT_READY, stale.code());
        assertTrue(stale.getMessage().startsWith("index 'scripted' is being rebuilt from storage after it failed to "
                + "apply a write"), stale.getMessage());
        CompletableFuture<IndexResult> waiting = fresh();
        assertFalse(waiting.isDone(), "a fresh query waits for the rebuild");
        index.resyncGate.countDown();
        assertEquals(List.of("a", "bad", "c"), keys(waiting.join()));
        assertEquals("ok", stat("state"));
        assertEquals(storedContent(), index.content);
        assertTrue(index.resyncSequences.get(0) >= 2, "rebuilt at storage's sequence when the rebuild started, at least "
                + "the failed batch's: " + index.resyncSequences);
    }

    @Test
    void queriesRunOnQueryThreadsAndPastTheQueueAreRefusedAsOverloaded() throws Exception {
        start(new ScriptedIndex(0), settings(1, 1, 5_000, 1 << 20));
        put("a", "1");
        index.queryGate = new CountDownLatch(1);
        CompletableFuture<IndexResult> running = indexes.query("scripted", ALL, Freshness.STALE, () -> null);
        assertTrue(index.queryEntered.await(30, TimeUnit.SECONDS));
        CompletableFuture<IndexResult> queued = indexes.query("scripted", ALL, Freshness.STALE, () -> null);
        ModkvException refused = failure(indexes.query("scripted", ALL, Freshness.STALE, () -> null));
        assertEquals(ErrorCode.OVERLOADED, refused.code());
        assertEquals("too many index queries: 1 are waiting for the 1 query threads (index.query.queue, "
                + "index.query.threads); retry later", refused.getMessage());
        index.queryGate.countDown();
        assertEquals(List.of("a"), keys(running.join()));
        assertEquals(List.of("a"), keys(queued.join()));
        assertTrue(index.queryThreads.stream().allMatch(name -> name.startsWith("index-query-")), index.queryThreads.toString());
        assertEquals(1L, indexes.stats().get("queries_rejected"));
    }

    @Test
    void aFreshQueryWaitsUntilTheIndexAppliedTheReadBarrierAndAStaleOneDoesNot() throws Exception {
        start();
        put("a", "1");
        fresh().join();
        index.applyGate = new CountDownLatch(1);
        long barrier = put("b", "2");
        assertTrue(index.applyEntered.await(30, TimeUnit.SECONDS));
        CompletableFuture<IndexResult> freshQuery = fresh();
        assertEquals(List.of("a"), keys(indexes.query("scripted", ALL, Freshness.STALE, () -> null).join()),
                "stale answers from what the index holds now");
        assertFalse(freshQuery.isDone());
        assertEquals(1L, stat("lag_sequences"));
        index.applyGate.countDown();
        assertEquals(List.of("a", "b"), keys(freshQuery.join()));
        assertEquals(barrier, stat("applied_sequence"));
        assertTrue(stat("lag_p99_ms") instanceof Double, String.valueOf(indexes.stats()));
    }

    @Test
    void aFreshQueryThatTheIndexCannotCatchUpWithInTimeFailsNamingIndexSequenceAndBarrier() throws Exception {
        start(new ScriptedIndex(0), settings(2, 16, 100, 1 << 20));
        put("a", "1");
        CompletableFuture<IndexResult> query = indexes.query("scripted", ALL, Freshness.FRESH,
                () -> CompletableFuture.completedFuture(99L));
        ModkvException e = failure(query);
        assertEquals(ErrorCode.INDEX_NOT_READY, e.code());
        assertEquals("index 'scripted' did not catch up with the read barrier in time: it has applied sequence 1, "
                + "the query needs 99 (state ok, waited index.freshness.timeout.ms=100); retry, or query with STALE",
                e.getMessage());
    }

    @Test
    void aSlowIndexNeverBlocksCommitsItsQueueOverflowsAndItCatchesUpFromStorage() throws Exception {
        start(new ScriptedIndex(0), settings(2, 16, 30_000, 4096));
        index.applyGate = new CountDownLatch(1);
        put("first", "x");
        assertTrue(index.applyEntered.await(30, TimeUnit.SECONDS), "the index is stuck in apply");
        String value = "v".repeat(200);
        for (int i = 0; i < 100; i++) { // about 25 KB: far past the 4 KiB queue, and this thread never waits
            put("k" + i, value);
            if (i % 10 == 0) {
                write(new WriteBatch().delete(("k" + (i / 2)).getBytes(UTF_8)));
            }
        }
        assertTrue((Long) stat("overflows") >= 1, String.valueOf(indexes.stats()));
        assertTrue((Long) stat("queue_bytes") <= 4096, String.valueOf(indexes.stats()));
        index.applyGate.countDown();
        IndexResult result = fresh().join();
        assertEquals(storedContent().keySet().stream().toList(), keys(result));
        assertEquals(storedContent(), index.content);
        assertTrue(!index.resyncSequences.isEmpty(), "caught up from storage");
    }

    @Test
    void aResetAfterASnapshotInstallRebuildsFromStorageInOrderWithLaterBatches() throws Exception {
        start();
        put("a", "1");
        put("b", "2");
        fresh().join();
        // Storage's content is replaced behind the listener's back, then replication says so.
        sequence += 10;
        storage.replace(Map.of("x".getBytes(UTF_8), "9".getBytes(UTF_8)), sequence);
        indexes.reset(sequence);
        put("y", "10");
        assertEquals(List.of("x", "y"), keys(fresh().join()));
        assertEquals(storedContent(), index.content);
    }

    @Test
    void startUpCatchesUpOnlyAnIndexBehindStorageAndCommitsPeriodicallyAndAtClose() throws Exception {
        put0("a", "1");
        put0("b", "2");
        ScriptedIndex upToDate = new ScriptedIndex(2);
        upToDate.content.putAll(storedContent());
        ScriptedIndex behind = new ScriptedIndex(1);
        indexes = new IndexSet(new java.util.LinkedHashMap<>(Map.of("current", upToDate, "behind", behind)), storage,
                settings(2, 16, 5_000, 1 << 20));
        indexes.start(storage.lastSequence(), false);
        assertEquals(List.of(), upToDate.resyncSequences, "an index at storage's sequence is not rebuilt");
        assertEquals(List.of(2L), behind.resyncSequences);
        assertEquals(storedContent(), behind.content);
        assertEquals("ok", indexes.stats().get("behind.state"));
        assertEquals(2, indexes.stats().get("behind.documents"), "the index's own figures are in the stats");
        await(() -> behind.committedSequence == 2, "the periodic commit");
        sequence = 2;
        storage.apply(3, new WriteBatch().put("c".getBytes(UTF_8), "3".getBytes(UTF_8)));
        indexes.committed(3, new WriteBatch().put("c".getBytes(UTF_8), "3".getBytes(UTF_8)));
        await(() -> upToDate.applied == 3, "apply");
        indexes.close();
        indexes = null;
        assertEquals(3, upToDate.committedSequence, "committed at close");
        assertTrue(upToDate.closed);
    }

    @Test
    void anIndexThatCommitsConcurrentlyKeepsApplyingWhileItsCommitRunsAndNeverCommitsDuringAResync() throws Exception {
        ScriptedIndex scripted = new ScriptedIndex(0);
        scripted.concurrentCommits = true;
        scripted.commitGate = new CountDownLatch(1);
        start(scripted, settings(2, 16, 5_000, 1 << 20));
        put("a", "1");
        assertTrue(scripted.commitEntered.await(30, TimeUnit.SECONDS), "a periodic commit started");
        assertEquals("index-committer-scripted", scripted.commitThread);
        long b = put("b", "2");
        await(() -> scripted.applied == b, "an apply while the commit is held");

        Thread applier = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("index-applier-scripted")).findFirst().orElseThrow();
        indexes.reset(b);
        await(() -> scripted.resyncEntered.getCount() == 0
                || LockSupport.getBlocker(applier) instanceof AbstractQueuedSynchronizer,
                "the resync either ran or waits for the commit");
        scripted.commitGate.countDown();
        await(() -> scripted.resyncSequences.contains(b), "the resync after the commit");
        assertFalse(scripted.overlapped, "a commit and a resync ran at once");
        await(() -> scripted.committedSequence == b, "a later commit holds the resync");
        indexes.close();
        indexes = null;
        assertFalse(scripted.overlapped, "a commit and a resync ran at once");
    }

    private void put0(String key, String value) {
        sequence++;
        storage.apply(sequence, new WriteBatch().put(key.getBytes(UTF_8), value.getBytes(UTF_8)));
    }

    @Test
    void queryingAnIndexThatDoesNotRunNamesTheOnesThatDo() throws Exception {
        start();
        ModkvException e = failure(indexes.query("nope", ALL, Freshness.STALE, () -> null));
        assertEquals(ErrorCode.NO_SUCH_INDEX, e.code());
        assertEquals("no such index 'nope'; indexes running: scripted", e.getMessage());
    }
}
