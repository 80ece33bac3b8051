package org.modkv.transport.resp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.RecordHeader;
import org.modkv.api.replication.Consistency;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.RequestHandler;

/**
 * GET, SET, DEL, EXISTS, MGET and MSET over the kernel's {@link RequestHandler}, with Redis'
 * replies. Reads use the replication plugin's default consistency.
 */
final class KeyValueCommands {
    private final RequestHandler kernel;

    KeyValueCommands(RequestHandler kernel) {
        this.kernel = kernel;
    }

    List<CommandSpec> specs() {
        return List.of(
                new CommandSpec("get", 2, List.of("readonly", "fast"), 1, 1, 1, this::get),
                new CommandSpec("set", -3, List.of("write", "denyoom"), 1, 1, 1, this::set),
                new CommandSpec("del", -2, List.of("write"), 1, -1, 1, this::del),
                new CommandSpec("exists", -2, List.of("readonly", "fast"), 1, -1, 1, this::exists),
                new CommandSpec("mget", -2, List.of("readonly", "fast"), 1, -1, 1, this::mget),
                new CommandSpec("mset", -3, List.of("write", "denyoom"), 1, -1, 2, this::mset));
    }

    private CompletableFuture<RespReply> get(RespRequest request, ClientSession session) {
        return kernel.get(request.arg(1), Consistency.DEFAULT).thenApply(KeyValueCommands::bulkOrNull);
    }

    /**
     * {@code SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT time|KEEPTTL]}. NX and XX are conditional
     * writes decided with all other writes; GET and KEEPTTL read the key first and write on the
     * condition that it did not change meanwhile (docs/design/kv-api.md).
     */
    private CompletableFuture<RespReply> set(RespRequest request, ClientSession session) {
        byte[] key = request.arg(1);
        byte[] value = request.arg(2);
        SetOptions options = SetOptions.parse(request, 3, System.currentTimeMillis());
        if (options.readsFirst()) {
            return kernel.update(key, current -> options.change(value, current))
                    .thenApply(result -> options.reply(result.before(), result.change()));
        }
        if (options.condition() == null && options.expiresAtMillis() == RecordHeader.NO_EXPIRY) {
            return kernel.put(key, value).thenApply(ignored -> RespReply.OK);
        }
        WriteBatch batch = new WriteBatch(key.length + value.length + WriteBatch.ENTRY_HEADER_BYTES + RecordHeader.BYTES)
                .put(key, value, ConditionalWrite.expiring(options.expiresAtMillis()));
        if (options.condition() == null) {
            return kernel.write(batch).thenApply(ignored -> RespReply.OK);
        }
        Condition condition = options.condition().equals("NX") ? Condition.absent(key) : Condition.present(key);
        return kernel.writeIf(new ConditionalWrite(List.of(condition), batch))
                .thenApply(outcome -> outcome.applied() ? RespReply.OK : RespReply.NULL_BULK);
    }

    /** Deletes each distinct key once, so {@code DEL a a} counts 1 as in Redis. */
    private CompletableFuture<RespReply> del(RespRequest request, ClientSession session) {
        Set<ByteBuffer> distinct = new LinkedHashSet<>();
        for (byte[] key : request.from(1)) {
            distinct.add(ByteBuffer.wrap(key));
        }
        List<CompletableFuture<Boolean>> deletes = new ArrayList<>(distinct.size());
        for (ByteBuffer key : distinct) {
            deletes.add(kernel.delete(key.array()));
        }
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            long deleted = deletes.stream().filter(CompletableFuture::join).count();
            return RespReply.integer(deleted);
        });
    }

    /** Counts present keys; a key named twice counts twice, as in Redis. */
    private CompletableFuture<RespReply> exists(RespRequest request, ClientSession session) {
        return kernel.getAll(request.from(1), Consistency.DEFAULT)
                .thenApply(values -> RespReply.integer(values.stream().filter(Optional::isPresent).count()));
    }

    private CompletableFuture<RespReply> mget(RespRequest request, ClientSession session) {
        return kernel.getAll(request.from(1), Consistency.DEFAULT).thenApply(values -> {
            List<RespReply> items = new ArrayList<>(values.size());
            for (Optional<byte[]> value : values) {
                items.add(bulkOrNull(value));
            }
            return RespReply.array(items);
        });
    }

    /** All pairs in one atomic batch: the kernel applies every put or none. */
    private CompletableFuture<RespReply> mset(RespRequest request, ClientSession session) {
        if (request.size() % 2 == 0) {
            return done(RespErrors.wrongArity("mset"));
        }
        long bytes = 0;
        for (int i = 1; i < request.size(); i++) {
            bytes += request.arg(i).length + (i % 2 == 1 ? WriteBatch.ENTRY_HEADER_BYTES : 0);
        }
        WriteBatch batch = new WriteBatch((int) Math.min(bytes, 1 << 26));
        for (int i = 1; i < request.size(); i += 2) {
            batch.put(request.arg(i), request.arg(i + 1));
        }
        return kernel.write(batch).thenApply(ignored -> RespReply.OK);
    }

    static RespReply bulkOrNull(Optional<byte[]> value) {
        return value.map(RespReply::bulk).orElse(RespReply.NULL_BULK);
    }

    private static CompletableFuture<RespReply> done(RespReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
