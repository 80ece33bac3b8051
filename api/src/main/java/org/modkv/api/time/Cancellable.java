package org.modkv.api.time;

/**
 * A handle to scheduled work.
 *
 * <p>Threading: {@link #cancel} may be called from any thread, also from the scheduled work
 * itself, any number of times.
 */
@FunctionalInterface
public interface Cancellable {
    /** Stops the work from running if it has not started; idempotent. */
    void cancel();
}
