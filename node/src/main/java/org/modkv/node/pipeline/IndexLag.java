package org.modkv.node.pipeline;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How long committed batches waited before one index applied them (commit to apply), in an
 * HdrHistogram {@link Recorder}: recording is lock-free and allocates nothing; {@link #putStats}
 * folds the interval into a running total since start.
 *
 * <p>Besides percentiles since start, the stats carry cumulative counts per bound
 * ({@code lag_count}, {@code lag_le_<bound>ms}), as a Prometheus histogram does, so that a reader
 * taking two snapshots gets the distribution of the lag between them: a node's first seconds
 * under load (JIT compilation, the index writer's first segments) no longer hide the steady
 * state. See docs/design/indexes.md, "Freshness".
 */
final class IndexLag {
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** Upper bounds of the cumulative counts, in milliseconds. */
    static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000};

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
        stats.put(prefix + ".lag_count", total.getTotalCount());
        for (long bound : BOUNDS_MS) {
            long boundNanos = TimeUnit.MILLISECONDS.toNanos(bound);
            // Values equivalent to the bound at the histogram's precision count as within it.
            stats.put(prefix + ".lag_le_" + bound + "ms", total.getTotalCount() == 0 ? 0L
                    : total.getCountBetweenValues(0, total.highestEquivalentValue(boundNanos)));
        }
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
