package org.modkv.storage.perkey;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs how far a long start-up step has got, at most every {@value #INTERVAL_SECONDS} seconds,
 * so an operator watching a slow start sees what it is doing. {@link #advance} may be called
 * from several threads; whichever finds the interval passed writes the line.
 */
final class ProgressLog {
    static final long INTERVAL_SECONDS = 5;
    private static final System.Logger LOG = System.getLogger(ProgressLog.class.getName());

    private final String what;
    private final long total;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong nextReport;

    /**
     * @param what what is being counted, e.g. "perkey /data: key files written from the intent log"
     * @param total how many there are, or -1 if not known
     */
    ProgressLog(String what, long total) {
        this(what, total, TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS));
    }

    ProgressLog(String what, long total, long intervalNanos) {
        this.what = what;
        this.total = total;
        this.intervalNanos = intervalNanos;
        this.nextReport = new AtomicLong(start + intervalNanos);
    }

    /** Counts one more unit done and logs if the interval has passed. */
    void advance() {
        long count = done.incrementAndGet();
        long now = System.nanoTime();
        long due = nextReport.get();
        if (now >= due && nextReport.compareAndSet(due, now + intervalNanos)) {
            LOG.log(System.Logger.Level.INFO, line(count, now));
        }
    }

    long done() {
        return done.get();
    }

    /** The progress line for {@code count} done at {@code now}. */
    String line(long count, long now) {
        long perSecond = count * 1_000_000_000L / Math.max(1, now - start);
        return what + ": " + count + (total >= 0 ? " of " + total : "") + " so far, " + perSecond + " per second";
    }
}
