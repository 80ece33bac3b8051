package org.modkv.client;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.modkv.protocol.wire.BulkEntry;
import org.modkv.protocol.wire.Compare;
import org.modkv.protocol.wire.CompareKind;
import org.modkv.protocol.wire.Delete;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;

/**
 * A conditional, atomic write (etcd's txn): conditions on keys, then puts and deletes that apply
 * all together only if every condition holds when the server decides it, in the same order as
 * every other write. Built with {@link ModkvClient#txn()}; not thread-safe.
 *
 * <pre>
 *   VersionedEntry seen = client.getVersioned(key).orElseThrow();
 *   boolean swapped = client.txn().ifVersion(key, seen.version()).put(key, next).commit().applied();
 * </pre>
 *
 * A replication that cannot decide conditions fails it with {@code CONDITIONS_UNSUPPORTED}.
 */
public final class Txn {
    private final Function<Request.Builder, CompletableFuture<Response>> call;
    private final Function<CompletableFuture<TxnResult>, TxnResult> await;
    private final org.modkv.protocol.wire.Txn.Builder body = org.modkv.protocol.wire.Txn.newBuilder();

    Txn(Function<Request.Builder, CompletableFuture<Response>> call,
        Function<CompletableFuture<TxnResult>, TxnResult> await) {
        this.call = call;
        this.await = await;
    }

    /** Requires {@code key} to be absent (or expired). */
    public Txn ifAbsent(byte[] key) {
        return compare(key, CompareKind.ABSENT, 0);
    }

    /** Requires {@code key} to exist. */
    public Txn ifPresent(byte[] key) {
        return compare(key, CompareKind.PRESENT, 0);
    }

    /** Requires {@code key} to exist with exactly {@code version}. */
    public Txn ifVersion(byte[] key, long version) {
        if (version < 0) {
            throw new IllegalArgumentException("a version is >= 0, not " + version);
        }
        return compare(key, CompareKind.VERSION_EQUALS, version);
    }

    public Txn put(byte[] key, byte[] value) {
        return put(key, value, Duration.ZERO);
    }

    /** A put whose key expires {@code ttl} after the server receives it ({@link Duration#ZERO}: never). */
    public Txn put(byte[] key, byte[] value, Duration ttl) {
        body.addEntries(BulkEntry.newBuilder().setPut(ModkvClient.putMessage(key, value, ttl)));
        return this;
    }

    public Txn delete(byte[] key) {
        body.addEntries(BulkEntry.newBuilder().setDelete(Delete.newBuilder().setKey(bytes(key))));
        return this;
    }

    /** Sends it and waits for the outcome. */
    public TxnResult commit() {
        return await.apply(commitAsync());
    }

    public CompletableFuture<TxnResult> commitAsync() {
        return call.apply(Request.newBuilder().setTxn(body.clone()))
                .thenApply(r -> new TxnResult(r.getWritten().getApplied(), r.getWritten().getVersion()));
    }

    private Txn compare(byte[] key, CompareKind kind, long version) {
        body.addCompares(Compare.newBuilder().setKey(bytes(key)).setKind(kind).setVersion(version));
        return this;
    }

    private static ByteString bytes(byte[] array) {
        return ByteString.copyFrom(Objects.requireNonNull(array, "key"));
    }
}
