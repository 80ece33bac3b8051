package org.modkv.bench;

import java.util.SplittableRandom;

/**
 * Zipfian key popularity: key {@code i} (0-based rank) is picked with probability proportional
 * to {@code 1/(i+1)^theta}, so key 0 is the hottest.
 *
 * <p>The algorithm is YCSB's {@code ZipfianGenerator}, from Gray et al., "Quickly Generating
 * Billion-Record Synthetic Databases" (SIGMOD 1994): constant time per pick after computing
 * {@code zeta(n, theta) = sum 1/i^theta} once. That sum is exact for the first million terms and
 * the Euler–Maclaurin estimate (integral plus end correction) beyond, whose error is far below
 * what a benchmark can notice, so large key spaces start at once. Unlike YCSB's default we do
 * not scramble ranks over the key space: modkv partitions by hash, so adjacent hot keys do not
 * land together anyway, and a readable "key:0 is hottest" helps when reading server stats.
 */
final class ZipfianKeys implements KeyChooser {
    /** YCSB's {@code ZIPFIAN_CONSTANT}. */
    static final double YCSB_THETA = 0.99;
    private static final long EXACT_TERMS = 1_000_000;

    private final long keys;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double secondThreshold;

    ZipfianKeys(long keys, double theta) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, was " + keys);
        }
        if (!(theta > 0 && theta < 1)) {
            throw new IllegalArgumentException("theta must be in (0, 1), was " + theta);
        }
        this.keys = keys;
        this.theta = theta;
        this.zetaN = zeta(keys, theta);
        double zeta2 = zeta(2, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1 - Math.pow(2.0 / keys, 1 - theta)) / (1 - zeta2 / zetaN);
        this.secondThreshold = 1.0 + Math.pow(0.5, theta);
    }

    @Override
    public long next(SplittableRandom random) {
        double u = random.nextDouble();
        double uz = u * zetaN;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < secondThreshold) {
            return Math.min(1, keys - 1);
        }
        long rank = (long) (keys * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(rank, keys - 1);
    }

    @Override
    public long keys() {
        return keys;
    }

    /** Theta of this distribution. */
    double theta() {
        return theta;
    }

    /** The probability of rank {@code i} (0-based) under the exact distribution, for tests. */
    double probability(long i) {
        return Math.pow(i + 1, -theta) / zetaN;
    }

    /** {@code sum_{i=1..n} i^-theta}. */
    static double zeta(long n, double theta) {
        long exact = Math.min(n, EXACT_TERMS);
        double sum = 0;
        for (long i = 1; i <= exact; i++) {
            sum += Math.pow(i, -theta);
        }
        if (n > exact) {
            // sum_{i=m+1..n} f(i) ~ integral_m^n f + (f(n) - f(m)) / 2, with f(x) = x^-theta
            double m = exact;
            double integral = (Math.pow(n, 1 - theta) - Math.pow(m, 1 - theta)) / (1 - theta);
            sum += integral + (Math.pow(n, -theta) - Math.pow(m, -theta)) / 2;
        }
        return sum;
    }
}
