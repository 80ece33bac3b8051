package org.modkv.transport.resp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.replication.Consistency;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.RequestHandler;

/**
 * GET, SET, DEL, EXISTS, MGET and MSET over the kernel's {@link RequestHandler}, with Redis'
 * replies. Reads use the replication plugin's default consistency.
 */
final class KeyValueCommands {
    /** SET options Redis has and modkv does not (no TTLs, no conditional puts). */
    private static final Set<String> SET_OPTIONS = Set.of("NX", "XX", "GET", "EX", "PX", "EXAT", "PXAT", "KEEPTTL");

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

    private CompletableFuture<RespReply> set(RespRequest request, ClientSession session) {
        if (request.size() > 3) {
            String option = request.keyword(3);
            if (SET_OPTIONS.contains(option)) {
                return done(RespReply.error("ERR SET option '" + option + "' is not supported by modkv "
                        + "(no expiry or conditional writes); use SET key value"));
            }
            return done(RespErrors.syntax("SET takes a key and a value; '"
                    + RespErrors.printable(request.arg(3), 64) + "' is not an option"));
        }
        return kernel.put(request.arg(1), request.arg(2)).thenApply(ignored -> RespReply.OK);
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

    private static RespReply bulkOrNull(Optional<byte[]> value) {
        return value.map(RespReply::bulk).orElse(RespReply.NULL_BULK);
    }

    private static CompletableFuture<RespReply> done(RespReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
