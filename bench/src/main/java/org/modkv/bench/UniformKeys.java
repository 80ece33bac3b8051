package org.modkv.bench;

import java.util.SplittableRandom;

/** Every key equally likely. */
record UniformKeys(long keys) implements KeyChooser {

    UniformKeys {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1, was " + keys);
        }
    }

    @Override
    public long next(SplittableRandom random) {
        return random.nextLong(keys);
    }
}
