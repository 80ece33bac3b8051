package org.modkv.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * One connection and what was counted on it: the target, the recorder its latencies go to, and
 * the counters the runner sums. Called from whatever thread completes a request.
 */
final class Lane {
    private final KeyValueTarget target;
    private final Recorder recorder;
    private final ErrorTally tally;
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong warmupOps = new AtomicLong();
    private final AtomicLong warmupErrors = new AtomicLong();

    Lane(KeyValueTarget target, Recorder recorder, ErrorTally tally) {
        this.target = target;
        this.recorder = recorder;
        this.tally = tally;
    }

    KeyValueTarget target() {
        return target;
    }

    /**
     * A request succeeded after {@code latencyNs}. Only requests sent while measuring are
     * recorded. This is the record path: it allocates nothing.
     */
    void recordSuccess(boolean measured, long latencyNs, boolean found) {
        if (measured) {
            LatencyRecording.record(recorder, latencyNs);
            if (!found) {
                misses.incrementAndGet();
            }
        } else {
            warmupOps.incrementAndGet();
        }
    }

    /** A request failed; failures have no latency, they are counted and tallied by kind. */
    void recordFailure(boolean measured, Throwable cause) {
        if (measured) {
            errors.incrementAndGet();
            tally.add(cause);
        } else {
            warmupErrors.incrementAndGet();
        }
    }

    long misses() {
        return misses.get();
    }

    long errors() {
        return errors.get();
    }

    long warmupOps() {
        return warmupOps.get();
    }

    long warmupErrors() {
        return warmupErrors.get();
    }
}
