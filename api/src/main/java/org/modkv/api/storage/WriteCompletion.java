package org.modkv.api.storage;

/**
 * Told when a batch is done. Called exactly once per accepted write, from an engine thread
 * (e.g. the group-commit agent): it must be quick and must not block. Implementations on the
 * hot path are reused objects, so the engine allocates nothing to call them.
 */
@FunctionalInterface
public interface WriteCompletion {
    /**
     * @param sequence the engine's sequence number for the batch (increasing in commit order),
     *     or -1 when {@code failure} is set
     * @param failure {@code null} on success; otherwise why the batch is not durable (the
     *     engine then refuses further writes: a failed fsync cannot be retried safely)
     */
    void complete(long sequence, Throwable failure);
}
