package org.modkv.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Where latencies go while a run is measuring: a few HdrHistogram {@link Recorder}s shared by
 * the lanes (lane {@code i} uses stripe {@code i % stripes}), swept into one cumulative
 * {@link Histogram} by the runner's thread.
 *
 * <p>Recording is wait-free and allocates nothing: a {@code Recorder} of fixed range is a
 * pre-sized array of counters behind a writer-reader phaser. Values are nanoseconds, tracked
 * from 1 ns to one hour with 3 significant digits; anything slower is recorded as one hour.
 * Stripes keep memory bounded (each is about 270 KB) while spreading the atomic increments of
 * many I/O threads.
 */
final class LatencyRecording {
    /** Largest value tracked, in nanoseconds; larger ones are clamped to it. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.HOURS.toNanos(1);
    static final int SIGNIFICANT_DIGITS = 3;
    private static final int MAX_STRIPES = 8;

    private final Recorder[] stripes;
    private final Histogram[] recycled;
    private final Histogram total = newHistogram();

    LatencyRecording(int lanes) {
        int count = Math.max(1, Math.min(MAX_STRIPES, lanes));
        this.stripes = new Recorder[count];
        this.recycled = new Histogram[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Recorder(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        }
    }

    /** An empty histogram with the range and precision the recorders use. */
    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /** The recorder lane {@code lane} records into. */
    Recorder recorderFor(int lane) {
        return stripes[lane % stripes.length];
    }

    /** Records {@code latencyNs} into {@code recorder}, clamped to the tracked range. Allocates nothing. */
    static void record(Recorder recorder, long latencyNs) {
        recorder.recordValue(Math.max(1, Math.min(latencyNs, HIGHEST_TRACKABLE_NS)));
    }

    /**
     * Adds everything recorded since the last sweep to the total and returns how many values
     * that was. Call from one thread only.
     */
    long sweep() {
        long count = 0;
        for (int i = 0; i < stripes.length; i++) {
            Histogram interval = stripes[i].getIntervalHistogram(recycled[i]);
            count += interval.getTotalCount();
            total.add(interval);
            recycled[i] = interval;
        }
        return count;
    }

    /** Everything swept so far. Owned by the sweeping thread. */
    Histogram total() {
        return total;
    }
}
