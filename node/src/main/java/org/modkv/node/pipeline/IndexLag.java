package org.modkv.node.pipeline;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How long committed batches waited before one index applied them (commit to apply), in an
 * HdrHistogram {@link Recorder}: recording is lock-free and allocates nothing; {@link #putStats}
 * folds the interval into a running total since start.
 */
final class IndexLag {
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram total = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);

    /** Records one batch applied {@code nanos} after its commit. */
    void record(long nanos) {
        recorder.recordValue(Math.max(0, Math.min(HIGHEST_TRACKABLE_NANOS, nanos)));
    }

    /** Adds {@code <prefix>.lag_p50_ms}, {@code lag_p99_ms} and {@code lag_max_ms} once a batch was applied. */
    synchronized void putStats(String prefix, Map<String, Object> stats) {
        total.add(recorder.getIntervalHistogram());
        if (total.getTotalCount() > 0) {
            stats.put(prefix + ".lag_p50_ms", millis(total.getValueAtPercentile(50)));
            stats.put(prefix + ".lag_p99_ms", millis(total.getValueAtPercentile(99)));
            stats.put(prefix + ".lag_max_ms", millis(total.getMaxValue()));
        }
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
