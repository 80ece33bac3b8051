package org.modkv.storage.wal;

import java.util.concurrent.TimeUnit;

/**
 * What the merge agent does about failing merges, so that one that keeps failing is visible
 * and cheap rather than a warning every interval: it counts failures (stats
 * {@code merge_failures}, {@code merge_failures_in_a_row}), keeps the last error
 * ({@code merge_last_error}), backs off exponentially up to {@link #MAX_BACKOFF_NS} (never below
 * the merge interval), and lets a warning through for the first failure and then at most once a
 * {@linkplain #WARNING_INTERVAL_NS minute}, saying how many it held back.
 *
 * <p>Time arrives as {@code nowNs} arguments. Threading: {@link #failed} and {@link #succeeded}
 * are called by the merge agent's thread only; the getters from any thread (stats).
 */
final class MergeFailures {
    static final long MAX_BACKOFF_NS = TimeUnit.MINUTES.toNanos(5);
    static final long WARNING_INTERVAL_NS = TimeUnit.MINUTES.toNanos(1);
    /** Longest error text kept; a longer one is cut (it ends up in INFO and a metrics label). */
    static final int MAX_ERROR_CHARS = 300;

    private final String dir;
    private final long intervalNs;
    private volatile long failures;
    private volatile long inARow;
    private volatile String lastError = "none";
    private boolean warned;
    private long lastWarningNs;
    private long heldBack;

    /**
     * @param dir the engine directory, for the messages
     * @param intervalNs {@code wal.merge.interval.ms} in nanoseconds
     */
    MergeFailures(String dir, long intervalNs) {
        this.dir = dir;
        this.intervalNs = intervalNs;
    }

    /**
     * Records that a merge round failed at {@code nowNs}.
     *
     * @return the warning to log now (with {@code error}), or {@code null} while warnings are held back
     */
    String failed(Throwable error, long nowNs) {
        failures++;
        inARow++;
        String text = error.toString();
        lastError = text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 3) + "...";
        if (warned && nowNs - lastWarningNs < WARNING_INTERVAL_NS) {
            heldBack++;
            return null;
        }
        String held = heldBack == 0 ? "" : " (" + heldBack + " failures not logged since the last warning)";
        warned = true;
        lastWarningNs = nowNs;
        heldBack = 0;
        return "merge failed in " + dir + ", " + inARow + (inARow == 1 ? " time" : " times in a row") + held + ": "
                + text + ". Disk space of overwritten and deleted values is not reclaimed until a merge succeeds "
                + "(stats: merge_reclaiming:no). Next attempt in " + TimeUnit.NANOSECONDS.toMillis(retryDelayNs())
                + " ms, backing off up to " + TimeUnit.NANOSECONDS.toMinutes(MAX_BACKOFF_NS) + " min while it "
                + "fails; this warning is repeated at most once a minute";
    }

    /**
     * Records that a merge round succeeded.
     *
     * @return the message to log now (failures ended), or {@code null}
     */
    String succeeded() {
        if (inARow == 0) {
            return null;
        }
        String message = "merging works again in " + dir + " after " + inARow + " failed attempts"
                + (heldBack == 0 ? "" : " (" + heldBack + " of them not logged)");
        inARow = 0;
        heldBack = 0;
        return message;
    }

    /** How long to wait before the next round: the interval, doubled for each failure in a row, capped. */
    long retryDelayNs() {
        long doublings = Math.min(inARow, 40);
        long cap = Math.max(intervalNs, MAX_BACKOFF_NS);
        return intervalNs > cap >> doublings ? cap : Math.min(cap, intervalNs << doublings);
    }

    long failures() {
        return failures;
    }

    long failuresInARow() {
        return inARow;
    }

    /** The message of the latest failure, or {@code none}. */
    String lastError() {
        return lastError;
    }

    /** Whether merges reclaim space: the latest round did not fail. */
    boolean reclaiming() {
        return inARow == 0;
    }
}
