package org.modkv.node.pipeline;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.WriteBatch;

/**
 * Feeds one index on its own thread, in sequence order, and guards its queries.
 *
 * <p>Everything that changes the index runs on the applier thread: {@link Index#apply} of queued
 * batch copies, {@link Index#resync} to catch up with storage (at start-up on the starting
 * thread, before this thread exists), and {@link Index#commit} every
 * {@code index.commit.interval.ms} and at close. An index that {@link Index#commitsConcurrently()
 * commits concurrently} gets its periodic commits from a committer thread of its own instead, so
 * that a long commit never holds up applies; a lock keeps commits apart from resyncs. When {@code apply} throws, the index is never
 * queried again until a rebuild from storage has succeeded: its state leaves {@link IndexState#OK}
 * before the next query can start, and a query that ran while it left is discarded
 * ({@link #query} compares the state's generation before and after). See docs/design/indexes.md.
 */
final class IndexApplier implements Runnable {
    private static final System.Logger LOG = System.getLogger(IndexApplier.class.getName());
    private static final long RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 60_000;

    private final String name;
    private final Index index;
    private final StoredData storedData;
    private final IndexPipelineSettings settings;
    private final ApplyQueue queue;
    private final AppliedSequenceWaiters waiters;
    private final IndexLag lag = new IndexLag();
    private final Thread thread;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong commitFailures = new AtomicLong();
    private volatile IndexState state = IndexState.CATCHING_UP;
    /** Bumped whenever the state leaves OK: a query that saw the same generation before and after saw no failure. */
    private volatile long generation;
    private volatile long appliedSequence;
    private volatile String lastError;
    private final AtomicBoolean uncommitted = new AtomicBoolean();
    /** Held by a commit and by a resync: an index never sees the two at once. */
    private final ReentrantLock commitOrResync = new ReentrantLock();
    /** The committer thread, for an index that commits concurrently with applies; else null. */
    private final Thread committer;
    private long retryMillis = RETRY_MILLIS;

    IndexApplier(String name, Index index, StoredData storedData, IndexPipelineSettings settings) {
        this.name = name;
        this.index = index;
        this.storedData = storedData;
        this.settings = settings;
        this.queue = new ApplyQueue(settings.queueMaxBytes());
        this.waiters = new AppliedSequenceWaiters(() -> appliedSequence, () -> state == IndexState.OK);
        this.thread = new Thread(this, "index-applier-" + name);
        this.thread.setDaemon(true);
        if (index.commitsConcurrently()) {
            this.committer = new Thread(this::commitPeriodically, "index-committer-" + name);
            this.committer.setDaemon(true);
        } else {
            this.committer = null;
        }
    }

    /**
     * Brings the index up to date with storage, on the calling thread, before the node serves:
     * {@link Index#resync} unless the index's own last commit is storage's last sequence.
     */
    void catchUp(long storageSequence, boolean storageHasKeysWithoutSequence) throws IOException {
        long indexSequence = index.appliedSequence();
        if (indexSequence != storageSequence || storageHasKeysWithoutSequence) {
            String reason = indexSequence > storageSequence
                    ? "start-up: the index is ahead of storage (index at sequence " + indexSequence + ", storage at "
                    + storageSequence + "; storage lost writes, or the data dir was replaced)"
                    : "start-up: the index is at sequence " + indexSequence + ", storage at " + storageSequence;
            try {
                resync(new ApplyQueue.Resync(reason, IndexState.CATCHING_UP));
            } catch (IOException | RuntimeException e) {
                throw new IOException("index " + name + " could not catch up with storage at start-up: " + e.getMessage(), e);
            }
        } else {
            appliedSequence = indexSequence;
            state = IndexState.OK;
        }
        queue.startAt(appliedSequence);
    }

    void start() {
        thread.start();
        if (committer != null) {
            committer.start();
        }
    }

    /** From the commit listener, in sequence order; copies {@code batch} and never blocks. */
    void committed(long sequence, WriteBatch batch, long nowNanos) {
        queue.offer(sequence, batch, nowNanos);
    }

    /** Storage's content was replaced (a snapshot install): catch up with it, in order with batches. */
    void reset(long sequence) {
        queue.resync("storage was replaced by a snapshot at sequence " + sequence, IndexState.CATCHING_UP, sequence);
    }

    /**
     * Completes once the index is ready and has applied {@code barrier}, or fails with
     * {@code INDEX_NOT_READY} after {@code index.freshness.timeout.ms} or at once if it failed.
     */
    CompletableFuture<Void> awaitApplied(long barrier) {
        if (state == IndexState.FAILED) {
            return CompletableFuture.failedFuture(notReady());
        }
        return waiters.await(barrier, settings.freshnessTimeoutMillis(), applied -> new ModkvException(
                ErrorCode.INDEX_NOT_READY, "index '" + name + "' did not catch up with the read barrier in time: it has "
                + "applied sequence " + applied + ", the query needs " + barrier + " (state " + state.label()
                + ", waited index.freshness.timeout.ms=" + settings.freshnessTimeoutMillis()
                + "); retry, or query with STALE"));
    }

    /** Runs a query on the calling (query) thread; never answers from a failed or incomplete index. */
    IndexResult query(IndexQuery query) {
        long before = generation;
        if (state != IndexState.OK) {
            throw notReady();
        }
        IndexResult result;
        try {
            result = index.query(query);
        } catch (ModkvException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModkvException(ErrorCode.INTERNAL, "index '" + name + "' failed to answer: " + e, e);
        }
        if (generation != before || state != IndexState.OK) {
            throw notReady();
        }
        return result;
    }

    private ModkvException notReady() {
        IndexState now = state;
        String why = switch (now) {
            case CATCHING_UP -> "is catching up with storage";
            case REBUILDING -> "is being rebuilt from storage after it failed to apply a write (" + lastError + ")";
            case FAILED -> "failed and could not be rebuilt yet (" + lastError + "); the node retries";
            case OK -> "changed while the query ran";
        };
        return new ModkvException(ErrorCode.INDEX_NOT_READY, "index '" + name + "' " + why
                + "; it cannot answer correctly now; retry shortly");
    }

    @Override
    public void run() {
        long commitIntervalNanos = TimeUnit.MILLISECONDS.toNanos(settings.commitIntervalMillis());
        long nextCommit = System.nanoTime() + commitIntervalNanos;
        try {
            while (true) {
                ApplyQueue.Task task = queue.take(Math.max(0, nextCommit - System.nanoTime()));
                if (queue.isClosed()) {
                    break;
                }
                if (task instanceof ApplyQueue.Apply apply) {
                    apply(apply);
                } else if (task instanceof ApplyQueue.Resync resync) {
                    resyncOrRetry(resync);
                }
                if (committer == null && System.nanoTime() - nextCommit >= 0) {
                    commit();
                    nextCommit = System.nanoTime() + commitIntervalNanos;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commit();
    }

    private void apply(ApplyQueue.Apply apply) {
        if (apply.sequence() <= appliedSequence || state != IndexState.OK) {
            return; // a catch-up from storage covered it already
        }
        try {
            index.apply(apply.sequence(), apply.batch());
        } catch (RuntimeException | Error e) {
            lastError = "apply of sequence " + apply.sequence() + " failed: " + e;
            failures.incrementAndGet();
            leaveOk(IndexState.REBUILDING);
            LOG.log(System.Logger.Level.ERROR, "index " + name + ": " + lastError
                    + "; it answers no query until it is rebuilt from storage, which starts now", e);
            queue.resync(lastError, IndexState.REBUILDING, apply.sequence());
            return;
        }
        appliedSequence = apply.sequence();
        uncommitted.set(true);
        lag.record(System.nanoTime() - apply.committedNanos());
        waiters.release();
    }

    private void resyncOrRetry(ApplyQueue.Resync resync) throws InterruptedException {
        try {
            resync(resync);
            retryMillis = RETRY_MILLIS;
        } catch (CancellationException e) {
            LOG.log(System.Logger.Level.INFO, "index {0}: catch-up stopped, the node is shutting down", name);
        } catch (IOException | RuntimeException | Error e) {
            lastError = "catch-up from storage failed: " + e;
            failures.incrementAndGet();
            leaveOk(IndexState.FAILED);
            LOG.log(System.Logger.Level.ERROR, "index " + name + ": " + lastError + "; retrying in " + retryMillis
                    + " ms", e);
            if (!queue.awaitClosed(retryMillis)) {
                queue.resync("retrying the failed catch-up", IndexState.REBUILDING, 0);
            }
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        }
    }

    /** Makes the index equal to storage as of now; on this thread (or the start-up thread). */
    private void resync(ApplyQueue.Resync resync) throws IOException {
        commitOrResync.lock();
        try {
            resyncLocked(resync);
        } finally {
            commitOrResync.unlock();
        }
    }

    private void resyncLocked(ApplyQueue.Resync resync) throws IOException {
        leaveOk(resync.during());
        long sequence = storedData.lastSequence();
        long startNanos = System.nanoTime();
        LOG.log(System.Logger.Level.INFO, "index {0}: {1}; catching up with storage at sequence {2}",
                name, resync.reason(), sequence);
        ResyncSource source = new ResyncSource(storedData, queue::isClosed);
        index.resync(sequence, source);
        appliedSequence = sequence;
        uncommitted.set(true);
        resyncs.incrementAndGet();
        state = IndexState.OK;
        LOG.log(System.Logger.Level.INFO, "index {0}: caught up with storage at sequence {1} in {2} ms "
                + "({3} stored records scanned)", name, sequence,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), source.scanned());
        waiters.release();
    }

    private void leaveOk(IndexState next) {
        if (state == IndexState.OK) {
            generation++;
        }
        state = next;
    }

    /** The committer thread's loop: a commit every {@code index.commit.interval.ms} until close. */
    private void commitPeriodically() {
        try {
            while (!queue.awaitClosed(settings.commitIntervalMillis())) {
                commit();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commit() {
        commitOrResync.lock();
        try {
            commitLocked();
        } finally {
            commitOrResync.unlock();
        }
    }

    private void commitLocked() {
        if (state != IndexState.OK || !uncommitted.getAndSet(false)) {
            return;
        }
        try {
            index.commit();
        } catch (IOException | RuntimeException e) {
            uncommitted.set(true);
            commitFailures.incrementAndGet();
            lastError = "commit failed: " + e;
            LOG.log(System.Logger.Level.WARNING, "index " + name + ": " + lastError + "; retrying at the next interval", e);
        }
    }

    IndexState state() {
        return state;
    }

    long appliedSequence() {
        return appliedSequence;
    }

    /** Figures for stats, INFO and {@code /metrics}, each prefixed with the index name. */
    void putStats(Map<String, Object> stats) {
        stats.put(name + ".state", state.label());
        stats.put(name + ".applied_sequence", appliedSequence);
        stats.put(name + ".lag_sequences", Math.max(0, queue.enqueuedSequence() - appliedSequence));
        lag.putStats(name, stats);
        stats.put(name + ".queue_bytes", queue.bytes());
        stats.put(name + ".overflows", queue.overflows());
        stats.put(name + ".failures", failures.get());
        stats.put(name + ".resyncs", resyncs.get());
        stats.put(name + ".commit_failures", commitFailures.get());
        String error = lastError;
        if (error != null) {
            stats.put(name + ".last_error", error);
        }
        try {
            // The kernel's figures come first and win: an index figure of the same name
            // (applied_sequence, say) would report the index's own view under the kernel's name.
            index.stats().forEach((key, value) -> stats.putIfAbsent(name + "." + key, value));
        } catch (RuntimeException e) {
            stats.put(name + ".stats_error", e.toString());
        }
    }

    /** Stops the thread (it commits what it applied), fails waiting queries, then closes the index. */
    void close() {
        queue.close();
        if (committer != null && committer.isAlive()) {
            try {
                committer.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "index {0}: its applier did not stop within 60 s; closing it anyway",
                        name);
            }
        } else {
            commit();
        }
        waiters.failAll("node is shutting down");
        index.close();
    }
}
