package org.modkv.bench;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * Where a target reports the outcome of one request: exactly one of the two methods is called,
 * exactly once, on any thread, possibly before the request method has returned.
 *
 * <p>It is also a {@code BiConsumer} over a {@code CompletableFuture}'s outcome, so a target
 * built on futures hands the completion itself to {@code whenComplete}: no callback object is
 * allocated per request.
 */
interface Completion extends BiConsumer<Object, Throwable> {

    /**
     * The request succeeded. {@code found} is {@code false} for a read of an absent key and a
     * search with no hits, {@code true} otherwise (writes always).
     */
    void succeeded(boolean found);

    /** The request failed: the server's error, a lost connection, a timeout. */
    void failed(Throwable cause);

    /** Maps a future's outcome: an empty {@code Optional} or {@code List} is "not found". */
    @Override
    default void accept(Object value, Throwable failure) {
        if (failure != null) {
            failed(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
        } else if (value instanceof Optional<?> optional) {
            succeeded(optional.isPresent());
        } else if (value instanceof List<?> list) {
            succeeded(!list.isEmpty());
        } else {
            succeeded(true);
        }
    }
}
