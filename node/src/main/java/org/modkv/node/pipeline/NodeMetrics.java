package org.modkv.node.pipeline;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Per-operation counters and latency histograms (request accepted by the kernel to result
 * ready), recorded with HdrHistogram's {@link Recorder} so that recording takes no lock.
 */
public final class NodeMetrics {
    /** The operations the kernel measures. */
    public enum Op { GET, PUT, DELETE, BATCH, QUERY }

    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final long startNanos = System.nanoTime();
    private final Map<Op, Recorder> recorders = new EnumMap<>(Op.class);
    private final Map<Op, Histogram> totals = new EnumMap<>(Op.class);
    private final Map<Op, LongAdder> failures = new EnumMap<>(Op.class);
    private final LongAdder rejected = new LongAdder();

    public NodeMetrics() {
        for (Op op : Op.values()) {
            recorders.put(op, new Recorder(HIGHEST_TRACKABLE_NANOS, 3));
            totals.put(op, new Histogram(HIGHEST_TRACKABLE_NANOS, 3));
            failures.put(op, new LongAdder());
        }
    }

    /** Records the latency of {@code future} under {@code op} when it completes. */
    <T> CompletableFuture<T> time(Op op, CompletableFuture<T> future) {
        long start = System.nanoTime();
        Recorder recorder = recorders.get(op);
        LongAdder failed = failures.get(op);
        return future.whenComplete((result, failure) -> {
            recorder.recordValue(Math.min(HIGHEST_TRACKABLE_NANOS, System.nanoTime() - start));
            if (failure != null) {
                failed.increment();
            }
        });
    }

    /** Counts a request refused before it reached replication (limits, not ready). */
    void error() {
        rejected.increment();
    }

    long uptimeSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    /** Counts and latency percentiles (microseconds) since start, per operation. */
    synchronized Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("rejected", rejected.sum());
        for (Op op : Op.values()) {
            Histogram total = totals.get(op);
            total.add(recorders.get(op).getIntervalHistogram());
            String name = op.name().toLowerCase(Locale.ROOT);
            stats.put(name + ".count", total.getTotalCount());
            stats.put(name + ".errors", failures.get(op).sum());
            if (total.getTotalCount() > 0) {
                stats.put(name + ".p50_us", micros(total.getValueAtPercentile(50)));
                stats.put(name + ".p99_us", micros(total.getValueAtPercentile(99)));
                stats.put(name + ".p999_us", micros(total.getValueAtPercentile(99.9)));
                stats.put(name + ".max_us", micros(total.getMaxValue()));
            }
        }
        return stats;
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
