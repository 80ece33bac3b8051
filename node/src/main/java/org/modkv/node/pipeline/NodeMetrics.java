package org.modkv.node.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestOperation;

/**
 * Per-operation counters and latency histograms of the requests the node's transports served,
 * each measured by its transport from request received to response written (see
 * {@link LatencyRecorder}). Recording goes into HdrHistogram {@link Recorder}s: lock-free,
 * and with a fixed value range it allocates nothing. {@link #stats()} folds the interval
 * histograms into running totals.
 */
public final class NodeMetrics implements LatencyRecorder {
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final RequestOperation[] OPERATIONS = RequestOperation.values();

    private final long startNanos = System.nanoTime();
    private final Recorder[] recorders = new Recorder[OPERATIONS.length];
    private final Histogram[] totals = new Histogram[OPERATIONS.length];
    private final LongAdder[] failures = new LongAdder[OPERATIONS.length];
    private final LongAdder rejected = new LongAdder();

    public NodeMetrics() {
        for (int i = 0; i < OPERATIONS.length; i++) {
            recorders[i] = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
            totals[i] = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
            failures[i] = new LongAdder();
        }
    }

    @Override
    public void record(RequestOperation operation, long receivedNanos, long writtenNanos, boolean failed) {
        int i = operation.ordinal();
        recorders[i].recordValue(Math.max(0, Math.min(HIGHEST_TRACKABLE_NANOS, writtenNanos - receivedNanos)));
        if (failed) {
            failures[i].increment();
        }
    }

    /** Counts a request refused before it reached replication (limits, not ready). */
    void error() {
        rejected.increment();
    }

    long uptimeSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    /**
     * Since start, per operation: served requests, error responses and latency percentiles in
     * microseconds; plus the requests the kernel refused outright.
     */
    synchronized Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("rejected", rejected.sum());
        for (int i = 0; i < OPERATIONS.length; i++) {
            Histogram total = totals[i];
            total.add(recorders[i].getIntervalHistogram());
            String name = OPERATIONS[i].label();
            stats.put(name + ".count", total.getTotalCount());
            stats.put(name + ".errors", failures[i].sum());
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
