package org.modkv.replication.quorum.membership;

/**
 * The knobs of a {@link PhiAccrualFailureDetector}, with the defaults Cassandra and Akka settled
 * on: suspect a peer at phi 8 (about a 1e-8 chance that a live peer's next heartbeat is still
 * to come), 1000 samples, 100 ms minimum deviation, no extra pause, 1 s first estimate.
 *
 * @param threshold phi at or above which the peer counts as down
 * @param maxSampleSize how many recent intervals the estimate uses
 * @param minStdDeviationNanos a floor on the deviation, so perfectly regular heartbeats do not make a tiny delay look fatal
 * @param acceptablePauseNanos a pause added to the mean interval (GC, a slow network) before suspicion grows
 * @param firstHeartbeatEstimateNanos the interval assumed before the second heartbeat
 */
public record PhiAccrualSettings(double threshold, int maxSampleSize, long minStdDeviationNanos,
        long acceptablePauseNanos, long firstHeartbeatEstimateNanos) {
    public static final PhiAccrualSettings DEFAULTS =
            new PhiAccrualSettings(8.0, 1000, 100_000_000L, 0, 1_000_000_000L);

    public PhiAccrualSettings {
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("the phi threshold must be a positive number, got " + threshold);
        }
        if (maxSampleSize < 2 || maxSampleSize > 100_000) {
            throw new IllegalArgumentException("the sample size must be between 2 and 100000, got " + maxSampleSize);
        }
        if (minStdDeviationNanos < 1 || acceptablePauseNanos < 0 || firstHeartbeatEstimateNanos < 1) {
            throw new IllegalArgumentException("the minimum deviation and first estimate must be at least 1 ns and the"
                    + " acceptable pause at least 0, got " + minStdDeviationNanos + ", " + firstHeartbeatEstimateNanos
                    + " and " + acceptablePauseNanos);
        }
    }
}
