package org.modkv.bench;

import java.util.SplittableRandom;

/**
 * Picks key indexes in {@code [0, keys)}. Implementations are immutable and shared by all
 * load clients; the randomness comes from the caller, so each client draws from its own
 * generator and a pick allocates nothing.
 */
interface KeyChooser {

    /** The next key index, in {@code [0, keys())}. */
    long next(SplittableRandom random);

    /** Size of the key space. */
    long keys();

    /** The chooser for {@code distribution} over {@code keys} keys. */
    static KeyChooser of(BenchOptions.KeyDistribution distribution, long keys) {
        return switch (distribution) {
            case UNIFORM -> new UniformKeys(keys);
            case ZIPFIAN -> new ZipfianKeys(keys, ZipfianKeys.YCSB_THETA);
        };
    }
}
