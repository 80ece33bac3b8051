package org.modkv.testkit.crash;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.modkv.testkit.crash.CrashRecords.BatchId;

/**
 * What the children of one harness run acknowledged, across all cycles: the lines of
 * {@link CrashWriterMain}, parsed. Thread-safe (the stdout pump adds, the harness reads).
 */
final class AckHistory {
    /** What is known about one single key. */
    static final class SingleKey {
        long putSequence = -1;
        boolean deleteOffered;
        long deleteSequence = -1;

        boolean putAcknowledged() {
            return putSequence >= 0;
        }

        boolean deleteAcknowledged() {
            return deleteSequence >= 0;
        }
    }

    private final Map<String, SingleKey> singles = new TreeMap<>();
    private final Map<Integer, BatchId> latestBatch = new TreeMap<>();
    private final Map<Integer, Long> latestBatchSequence = new HashMap<>();
    private long maxSequence;
    private long acknowledged;
    private long acknowledgedPuts;
    private long acknowledgedDeletes;
    private long acknowledgedBatches;
    private boolean ready;
    /** The current child's last {@code STAT} value, or -1 before its first. */
    private long watchedStat = -1;
    private long foreignLines;
    private String firstForeignLine;

    /**
     * Applies one complete output line. A line {@link CrashWriterMain} does not print (a plugin
     * writing to stdout) is counted and otherwise ignored.
     */
    synchronized void accept(String line) {
        try {
            apply(line.split(" "));
        } catch (RuntimeException e) { // a foreign line that happens to start like ours
            foreign(line);
        }
    }

    private void apply(String[] f) {
        switch (f[0]) {
            case "READY" -> ready = true;
            case "STAT" -> {
                watchedStat = Long.parseLong(f[2]);
                notifyAll();
            }
            case "PUT" -> {
                single(f).putSequence = sequence(f, 4);
                acknowledgedPuts++;
                acked(f, 4);
            }
            case "DELETING" -> single(f).deleteOffered = true;
            case "DELETED" -> {
                SingleKey key = single(f);
                key.deleteOffered = true;
                key.deleteSequence = sequence(f, 4);
                acknowledgedDeletes++;
                acked(f, 4);
            }
            case "BATCH" -> {
                int thread = Integer.parseInt(f[2]);
                BatchId id = new BatchId(Integer.parseInt(f[1]), Long.parseLong(f[3]));
                BatchId before = latestBatch.get(thread);
                if (before == null || before.compareTo(id) < 0) {
                    latestBatch.put(thread, id);
                    latestBatchSequence.put(thread, sequence(f, 4));
                }
                acknowledgedBatches++;
                acked(f, 4);
            }
            default -> foreign(String.join(" ", f));
        }
    }

    private void foreign(String line) {
        if (foreignLines++ == 0) {
            firstForeignLine = line;
        }
    }

    private SingleKey single(String[] f) {
        String key = CrashRecords.singleKey(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]));
        return singles.computeIfAbsent(key, k -> new SingleKey());
    }

    private static long sequence(String[] f, int at) {
        return Long.parseLong(f[at]);
    }

    private void acked(String[] f, int at) {
        maxSequence = Math.max(maxSequence, sequence(f, at));
        acknowledged++;
        notifyAll();
    }

    /**
     * Waits until the current child said READY, {@code count} acknowledgements in all and a
     * watched stat of at least {@code statAtLeast} (0: none needed) were seen, or the timeout.
     */
    synchronized boolean awaitAcknowledged(long count, long statAtLeast, long timeoutMs, Process child)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!reached(count, statAtLeast) && child.isAlive()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 100));
        }
        return reached(count, statAtLeast);
    }

    private boolean reached(long count, long statAtLeast) {
        return ready && acknowledged >= count && (statAtLeast <= 0 || watchedStat >= statAtLeast);
    }

    /** Starts a new cycle: the next child has not said READY yet, nor reported a stat. */
    synchronized void newChild() {
        ready = false;
        watchedStat = -1;
    }

    /** The current child's last reported value of the watched stat, or -1 if none. */
    synchronized long watchedStat() {
        return watchedStat;
    }

    /** Lines on the child's stdout that are not acknowledgements, for failure messages. */
    synchronized String foreignLines() {
        return foreignLines == 0 ? "none" : foreignLines + ", the first: '" + firstForeignLine + "'";
    }

    synchronized long acknowledged() {
        return acknowledged;
    }

    synchronized Map<String, SingleKey> singles() {
        return Map.copyOf(singles);
    }

    /** The newest acknowledged batch per writer thread. */
    synchronized Map<Integer, BatchId> latestBatches() {
        return new TreeMap<>(latestBatch);
    }

    synchronized long latestBatchSequence(int thread) {
        return latestBatchSequence.getOrDefault(thread, -1L);
    }

    synchronized long maxSequence() {
        return maxSequence;
    }

    synchronized long acknowledgedPuts() {
        return acknowledgedPuts;
    }

    synchronized long acknowledgedDeletes() {
        return acknowledgedDeletes;
    }

    synchronized long acknowledgedBatches() {
        return acknowledgedBatches;
    }
}
