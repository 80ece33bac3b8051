package org.modkv.distribution.logging;

import java.util.logging.LogManager;

/**
 * A {@link LogManager} that keeps its handlers while the JVM shuts down.
 *
 * <p>The stock manager registers its own shutdown hook that resets logging, and shutdown hooks
 * run concurrently, so whatever the node logs while it closes on SIGTERM ("node stopped",
 * a failed flush) may vanish. {@code bin/modkv} selects this class with
 * {@code -Djava.util.logging.manager}; it ignores resets once shutdown has begun. The
 * console handler flushes every record, so nothing is left unwritten at exit.
 */
public final class ShutdownSafeLogManager extends LogManager {

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset();
        }
    }

    /** The JVM refuses new shutdown hooks once shutdown has begun; that is the only public signal. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { }, "modkv-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
