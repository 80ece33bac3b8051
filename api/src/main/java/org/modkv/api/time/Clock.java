package org.modkv.api.time;

/**
 * Time as a plugin sees it. Replication cores read time only through this, so a simulation
 * can drive it. Thread-safe.
 */
public interface Clock {
    /** Monotonic nanoseconds for measuring intervals; unrelated to wall-clock time. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, for timestamps stored with data. */
    long currentTimeMillis();

    /** The real system clock. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
