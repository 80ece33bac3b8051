package org.modkv.api.kv;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.WriteBatch;

/**
 * Runs a {@link KeyUpdate} with optimistic concurrency: reads the key with its version, asks the
 * update what to do, and writes it on the condition that the version is still the one read
 * (or that the key is still absent). When another write won the race it reads again, after a
 * short random pause that grows with each attempt (to 10 ms), up to {@link #MAX_ATTEMPTS} attempts; then it fails
 * with {@link ErrorCode#OVERLOADED}. Linearizable when the reads and conditional writes are
 * (docs/design/kv-api.md).
 */
public final class KeyUpdates {
    /** Attempts before an update under constant contention gives up. */
    public static final int MAX_ATTEMPTS = 200;

    private final Function<byte[], CompletableFuture<Optional<VersionedValue>>> read;
    private final Function<ConditionalWrite, CompletableFuture<WriteOutcome>> write;

    /**
     * @param read a read of the key's live value with its version
     * @param write a conditional write
     */
    public KeyUpdates(Function<byte[], CompletableFuture<Optional<VersionedValue>>> read,
                      Function<ConditionalWrite, CompletableFuture<WriteOutcome>> write) {
        this.read = read;
        this.write = write;
    }

    public CompletableFuture<UpdateResult> run(byte[] key, KeyUpdate update) {
        byte[] copy = key.clone();
        return attempt(copy, update, 1);
    }

    private CompletableFuture<UpdateResult> attempt(byte[] key, KeyUpdate update, int attempt) {
        return read.apply(key).thenCompose(current -> {
            KeyChange change = update.change(current);
            if (change.kind() == KeyChange.Kind.NONE) {
                return CompletableFuture.completedFuture(new UpdateResult(current, change, 0));
            }
            Condition unchanged = current.map(v -> Condition.versionEquals(key, v.version()))
                    .orElse(Condition.absent(key));
            WriteBatch batch = change.kind() == KeyChange.Kind.PUT
                    ? new WriteBatch().put(key, change.value(), ConditionalWrite.expiring(change.expiresAtMillis()))
                    : new WriteBatch().delete(key);
            return write.apply(new ConditionalWrite(List.of(unchanged), batch)).thenCompose(outcome -> {
                if (outcome.applied()) {
                    return CompletableFuture.completedFuture(new UpdateResult(current, change, outcome.version()));
                }
                if (attempt >= MAX_ATTEMPTS) {
                    return CompletableFuture.failedFuture(new ModkvException(ErrorCode.OVERLOADED, "the key was "
                            + "changed by other writes " + MAX_ATTEMPTS + " times while this update ran; retry"));
                }
                // A pause with jitter, so that contending updates stop colliding.
                long pauseMicros = java.util.concurrent.ThreadLocalRandom.current()
                        .nextLong(100, 1_000L * Math.min(attempt, 10) + 101);
                Executor later = CompletableFuture.delayedExecutor(pauseMicros, TimeUnit.MICROSECONDS);
                return CompletableFuture.supplyAsync(() -> null, later)
                        .thenCompose(ignored -> attempt(key, update, attempt + 1));
            });
        });
    }
}
