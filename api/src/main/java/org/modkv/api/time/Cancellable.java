package org.modkv.api.time;

/** A handle to scheduled work. */
@FunctionalInterface
public interface Cancellable {
    /** Stops the work from running if it has not started; idempotent. */
    void cancel();
}
