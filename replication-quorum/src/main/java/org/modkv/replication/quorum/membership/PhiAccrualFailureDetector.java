package org.modkv.replication.quorum.membership;

/**
 * The phi-accrual failure detector (Hayashibara et al., 2004, as Cassandra and Akka use it) for
 * one peer. Instead of a yes/no timeout it answers how suspicious the silence since the last
 * heartbeat is: {@code phi = -log10(P(a heartbeat comes later than now))}, with the inter-arrival
 * times modelled as a normal distribution fitted to the last {@code maxSampleSize} intervals. A
 * peer is {@link #isAvailable available} while phi is below the threshold.
 *
 * <p>Pure: heartbeat arrival times and "now" are arguments (nanoseconds of any monotonic clock),
 * so tests feed it synthetic sequences. Not thread-safe. The normal CDF uses the logistic
 * approximation Akka uses ({@code 1 / (1 + e^(-y (1.5976 + 0.070566 y^2)))}, error below 1.4e-4).
 */
public final class PhiAccrualFailureDetector {
    private final PhiAccrualSettings settings;
    private final long[] intervals;
    private int count;
    private int next;
    private double sum;
    private double squares;
    private long lastHeartbeat = Long.MIN_VALUE;

    public PhiAccrualFailureDetector(PhiAccrualSettings settings) {
        this.settings = settings;
        this.intervals = new long[settings.maxSampleSize()];
    }

    /** Whether a heartbeat has arrived yet; before that the peer counts as available. */
    public boolean isMonitoring() {
        return lastHeartbeat != Long.MIN_VALUE;
    }

    /** A heartbeat from the peer arrived at {@code nowNanos}. Out-of-order (earlier) arrivals are ignored. */
    public void heartbeat(long nowNanos) {
        if (!isMonitoring()) {
            // seed the estimate with the first guess, as two samples around it
            long estimate = settings.firstHeartbeatEstimateNanos();
            add(estimate - estimate / 4);
            add(estimate + estimate / 4);
        } else if (nowNanos - lastHeartbeat < 0) {
            return;
        } else {
            add(nowNanos - lastHeartbeat);
        }
        lastHeartbeat = nowNanos;
    }

    /** The suspicion at {@code nowNanos}: 0 before the first heartbeat, growing with the silence since the last. */
    public double phi(long nowNanos) {
        if (!isMonitoring()) {
            return 0;
        }
        double elapsed = Math.max(0, nowNanos - lastHeartbeat);
        double mean = sum / count + settings.acceptablePauseNanos();
        double variance = Math.max(0, squares / count - (sum / count) * (sum / count));
        double deviation = Math.max(Math.sqrt(variance), settings.minStdDeviationNanos());
        double y = (elapsed - mean) / deviation;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        double phi = elapsed > mean ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
        return Double.isFinite(phi) ? Math.max(0, phi) : Double.MAX_VALUE;
    }

    /** Whether phi at {@code nowNanos} is below the threshold. */
    public boolean isAvailable(long nowNanos) {
        return phi(nowNanos) < settings.threshold();
    }

    /** The mean of the sampled intervals, in nanoseconds (for status output). */
    public double meanIntervalNanos() {
        return count == 0 ? 0 : sum / count;
    }

    private void add(long interval) {
        if (count == intervals.length) {
            long evicted = intervals[next];
            sum -= evicted;
            squares -= (double) evicted * evicted;
        } else {
            count++;
        }
        intervals[next] = interval;
        next = (next + 1) % intervals.length;
        sum += interval;
        squares += (double) interval * interval;
    }
}
