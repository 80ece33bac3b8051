package org.modkv.transport.resp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.Counter;
import org.modkv.api.kv.KeyChange;
import org.modkv.api.kv.RecordHeader;
import org.modkv.api.kv.VersionedValue;
import org.modkv.api.replication.Consistency;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.RequestHandler;

/**
 * Conditional writes and counters: Redis' SETNX, GETSET, INCR, INCRBY, DECR, DECRBY, and modkv's
 * versioned commands {@code VGET key} (the value and its version), {@code CAS key version value}
 * (store only if the key has that version) and {@code CAD key version} (delete only if it has
 * it). All are decided in the same order as every other write (docs/design/kv-api.md).
 */
final class ConditionalCommands {
    private final RequestHandler kernel;

    ConditionalCommands(RequestHandler kernel) {
        this.kernel = kernel;
    }

    List<CommandSpec> specs() {
        List<String> write = List.of("write", "denyoom", "fast");
        return List.of(
                new CommandSpec("setnx", 3, write, 1, 1, 1, this::setnx),
                new CommandSpec("getset", 3, write, 1, 1, 1, this::getset),
                new CommandSpec("incr", 2, write, 1, 1, 1, (r, s) -> add(r.arg(1), 1)),
                new CommandSpec("decr", 2, write, 1, 1, 1, (r, s) -> add(r.arg(1), -1)),
                new CommandSpec("incrby", 3, write, 1, 1, 1, (r, s) -> add(r.arg(1), SetOptions.integer(r.arg(2)))),
                new CommandSpec("decrby", 3, write, 1, 1, 1, this::decrby),
                new CommandSpec("vget", 2, List.of("readonly", "fast"), 1, 1, 1, this::vget),
                new CommandSpec("cas", 4, write, 1, 1, 1, this::cas),
                new CommandSpec("cad", 3, List.of("write", "fast"), 1, 1, 1, this::cad));
    }

    private CompletableFuture<RespReply> setnx(RespRequest request, ClientSession session) {
        byte[] key = request.arg(1);
        return kernel.writeIf(new ConditionalWrite(List.of(Condition.absent(key)), new WriteBatch().put(key, request.arg(2))))
                .thenApply(outcome -> RespReply.integer(outcome.applied() ? 1 : 0));
    }

    /** Stores the value (dropping any expiry, as Redis does) and answers the old one. */
    private CompletableFuture<RespReply> getset(RespRequest request, ClientSession session) {
        byte[] value = request.arg(2);
        return kernel.update(request.arg(1), current -> KeyChange.put(value, RecordHeader.NO_EXPIRY))
                .thenApply(result -> KeyValueCommands.bulkOrNull(result.before().map(VersionedValue::value)));
    }

    private CompletableFuture<RespReply> decrby(RespRequest request, ClientSession session) {
        long by = SetOptions.integer(request.arg(2));
        if (by == Long.MIN_VALUE) {
            throw new CommandRefused("ERR decrement would overflow");
        }
        return add(request.arg(1), -by);
    }

    private CompletableFuture<RespReply> add(byte[] key, long delta) {
        return kernel.update(key, Counter.add(delta)).thenApply(result -> RespReply.integer(Counter.valueOf(result)));
    }

    /** {@code VGET key}: a two-element array, the value and its version; a null reply when absent. */
    private CompletableFuture<RespReply> vget(RespRequest request, ClientSession session) {
        return kernel.getVersioned(request.arg(1), Consistency.DEFAULT).thenApply(value -> value
                .map(v -> RespReply.array(List.of(RespReply.bulk(v.value()), RespReply.integer(v.version()))))
                .orElse(RespReply.NULL_BULK));
    }

    /** {@code CAS key version value}: 1 if the key had that version and now holds the value, else 0. */
    private CompletableFuture<RespReply> cas(RespRequest request, ClientSession session) {
        byte[] key = request.arg(1);
        Condition condition = Condition.versionEquals(key, version(request.arg(2)));
        return kernel.writeIf(new ConditionalWrite(List.of(condition), new WriteBatch().put(key, request.arg(3))))
                .thenApply(outcome -> RespReply.integer(outcome.applied() ? 1 : 0));
    }

    /** {@code CAD key version}: 1 if the key had that version and is now deleted, else 0. */
    private CompletableFuture<RespReply> cad(RespRequest request, ClientSession session) {
        byte[] key = request.arg(1);
        Condition condition = Condition.versionEquals(key, version(request.arg(2)));
        return kernel.writeIf(new ConditionalWrite(List.of(condition), new WriteBatch().delete(key)))
                .thenApply(outcome -> RespReply.integer(outcome.applied() ? 1 : 0));
    }

    private static long version(byte[] arg) {
        long version = SetOptions.integer(arg);
        if (version < 0) {
            throw new CommandRefused("ERR a version is a whole number >= 0 (as VGET answers it)");
        }
        return version;
    }
}
