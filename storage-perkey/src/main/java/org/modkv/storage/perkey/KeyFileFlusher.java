package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Moves acknowledged changes from the {@link WriteOverlay} into the key files, then
 * checkpoints, on its own thread. One flush:
 * <ol>
 *   <li>{@code target} := the last committed sequence; take a snapshot of the overlay (every
 *       batch up to {@code target} is wholly in it or already flushed);
 *   <li>for each put: write {@code <file>.tmp}, fsync it (in parallel on
 *       {@code perkey.flush.threads}); creating a fan-out directory dirties its parent;
 *   <li>rename each temp file over its key file, unlink the file of each delete; the
 *       directories touched are dirty;
 *   <li>fsync every dirty directory: now every record of the snapshot is durable in place;
 *   <li>write the {@code checkpoint} file with {@code target} durably, then delete the intent
 *       files it covers;
 *   <li>remove the flushed records from the overlay (unless a newer record replaced them).
 * </ol>
 * A crash anywhere in between leaves key files that are old, new, or (for a batch whose
 * intent is still there) a mix that recovery repairs by replaying the intents after the
 * checkpoint; a key file itself is never torn, because it only ever appears by rename of a
 * complete, fsync'd temp file.
 *
 * <p>After a flush it completes the writes waiting for their key files ({@link AwaitingFiles},
 * {@code perkey.ack=files}) that the checkpoint covers. With {@code perkey.ack=intent} it waits
 * {@code perkey.flush.delay.ms} after the first change so that a key written many times is
 * written to disk once, unless half of {@code perkey.pending.bytes} is waiting or the engine is
 * closing; a write waiting for its files ends the wait at once. Writes that arrive during a
 * flush share the next one, so with {@code files} concurrent writers share the fsyncs.
 */
final class KeyFileFlusher {
    private static final int MIN_RECORDS_PER_THREAD = 8;

    private final Path dir;
    private final KeyFileStore store;
    private final WriteOverlay overlay;
    private final IntentLog intents;
    private final FileSync sync;
    private final WriteFailure failure;
    private final AwaitingFiles awaitingFiles;
    private final long delayNs;
    private final long urgentBytes;
    private final int threads;
    private final ExecutorService pool;
    private final Thread thread;

    /** Held for a whole flush, so the thread and {@link #flushThrough} never flush at once. */
    private final Object flushMonitor = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private boolean closing;
    private LongSupplier committed = () -> 0;

    private volatile long checkpointed;
    private final LongAdder flushes = new LongAdder();
    private final LongAdder filesWritten = new LongAdder();
    private final LongAdder filesDeleted = new LongAdder();

    KeyFileFlusher(Path dir, KeyFileStore store, WriteOverlay overlay, IntentLog intents, FileSync sync,
                   WriteFailure failure, AwaitingFiles awaitingFiles, PerKeyOptions options, long checkpointed) {
        this.dir = dir;
        this.store = store;
        this.overlay = overlay;
        this.intents = intents;
        this.sync = sync;
        this.failure = failure;
        this.awaitingFiles = awaitingFiles;
        this.delayNs = TimeUnit.MILLISECONDS.toNanos(options.flushDelayMs());
        this.urgentBytes = options.pendingBytes() / 2;
        this.threads = options.flushThreads();
        this.checkpointed = checkpointed;
        AtomicInteger created = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread worker = new Thread(runnable, "modkv-perkey-flush-" + created.incrementAndGet());
            worker.setDaemon(true);
            return worker;
        });
        this.thread = new Thread(this::run, "modkv-perkey-flush");
        thread.setDaemon(true);
    }

    /** Starts the thread; {@code committed} gives the last committed sequence. */
    void start(LongSupplier committed) {
        this.committed = committed;
        thread.start();
    }

    /** Tells the flusher that batches were committed. */
    void signal() {
        lock.lock();
        try {
            workAvailable.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Flushes until everything up to {@code target} is in the key files and checkpointed (no thread). */
    void flushThrough(long target) throws IOException {
        flushThrough(target, null);
    }

    /**
     * Like {@link #flushThrough(long)}, logging progress as it goes under {@code progressLabel}
     * (start-up: completing the intent log into the key files can take a while).
     */
    void flushThrough(long target, String progressLabel) throws IOException {
        synchronized (flushMonitor) {
            while (!overlay.isEmpty() || target > checkpointed) {
                flushLocked(target, progressLabel == null ? null : new ProgressLog(progressLabel, overlay.size()));
            }
        }
    }

    /**
     * Runs {@code action} while no flush changes key files (a flush in progress finishes
     * first). With {@code perkey.ack=files}, writes wait meanwhile.
     */
    <E extends Exception> void whileFilesStandStill(ThrowingRunnable<E> action) throws E {
        synchronized (flushMonitor) {
            action.run();
        }
    }

    /** An action that may throw {@code E}. */
    @FunctionalInterface
    interface ThrowingRunnable<E extends Exception> {
        void run() throws E;
    }

    /** The sequence of the last checkpoint. */
    long checkpointed() {
        return checkpointed;
    }

    long flushes() {
        return flushes.sum();
    }

    long filesWritten() {
        return filesWritten.sum();
    }

    long filesDeleted() {
        return filesDeleted.sum();
    }

    /**
     * Flushes everything committed (unless the engine failed), stops the thread and the pool.
     * Call after the committer is closed.
     */
    void close() {
        lock.lock();
        try {
            closing = true;
            workAvailable.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        shutdownPool();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the worker threads (also when the engine failed to open). */
    void shutdownPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private void run() {
        while (awaitWork()) {
            if (failure.get() != null) {
                awaitingFiles.failAll(failure.get());
                return;
            }
            try {
                flushOnce(committed.getAsLong());
            } catch (Throwable t) {
                awaitingFiles.failAll(failure.fail("the key files", t));
                return;
            }
        }
    }

    /** Waits for work, then for the gathering delay; false once closing with nothing left. */
    private boolean awaitWork() {
        lock.lock();
        try {
            while (!hasWork() && !closing) {
                workAvailable.awaitUninterruptibly();
            }
            if (!hasWork()) {
                return false;
            }
            long remaining = delayNs;
            while (remaining > 0 && !closing && overlay.bytes() < urgentBytes && awaitingFiles.isEmpty()) {
                try {
                    remaining = workAvailable.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean hasWork() {
        return !overlay.isEmpty() || committed.getAsLong() > checkpointed;
    }

    private void flushOnce(long target) throws IOException {
        synchronized (flushMonitor) {
            flushLocked(target, null);
        }
    }

    private void flushLocked(long target, ProgressLog progress) throws IOException {
        List<PendingRecord> records = overlay.snapshot();
        Set<Path> dirty = ConcurrentHashMap.newKeySet();
        Path[] temps = new Path[records.size()];
        forEach(records.size(), i -> {
            PendingRecord record = records.get(i);
            if (!record.isDelete()) {
                temps[i] = store.writeTemp(record, dirty);
            }
            if (progress != null) {
                progress.advance();
            }
        });
        for (int i = 0; i < temps.length; i++) {
            if (temps[i] != null) {
                store.install(temps[i]);
                dirty.add(temps[i].getParent());
                filesWritten.increment();
            } else {
                Path parent = store.delete(records.get(i).key);
                if (parent != null) {
                    dirty.add(parent);
                    filesDeleted.increment();
                }
            }
        }
        if (sync.enabled() && !dirty.isEmpty()) {
            List<Path> dirs = new ArrayList<>(dirty);
            forEach(dirs.size(), i -> sync.directory(dirs.get(i)));
        }
        if (target > checkpointed) {
            // Every batch up to target was wholly published before target was read, so its
            // records (or newer ones) were in the snapshot, or flushed by an earlier flush.
            CheckpointFile.write(dir, target, sync);
            checkpointed = target;
            intents.deleteThrough(target);
        }
        overlay.removeFlushed(records);
        flushes.increment();
        awaitingFiles.completeThrough(checkpointed);
    }

    @FunctionalInterface
    private interface IndexTask {
        void run(int index) throws IOException;
    }

    /** Runs {@code task} for {@code 0..count-1}, spread over the pool when it is worth it. */
    private void forEach(int count, IndexTask task) throws IOException {
        int parts = pool == null ? 1 : Math.min(threads, count / MIN_RECORDS_PER_THREAD);
        if (parts <= 1) {
            for (int i = 0; i < count; i++) {
                task.run(i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int part = 1; part < parts; part++) {
            int from = part;
            futures.add(pool.submit(() -> {
                for (int i = from; i < count; i += parts) {
                    task.run(i);
                }
                return null;
            }));
        }
        IOException first = null;
        try {
            for (int i = 0; i < count; i += parts) {
                task.run(i);
            }
        } catch (IOException e) {
            first = e;
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while flushing key files", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
