package org.modkv.transport.resp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.kv.VersionedValue;
import org.modkv.api.replication.Consistency;
import org.modkv.api.transport.RequestHandler;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH (docs/design/kv-api.md). Between MULTI and EXEC a
 * command is queued ({@code +QUEUED}) if it can run in a transaction, else refused at once, and
 * then EXEC discards the whole transaction ({@code -EXECABORT}), as Redis does. EXEC runs the
 * queue as one atomic conditional write ({@link TransactionExecutor}); when a WATCHed key changed
 * since WATCH it answers a null array and writes nothing.
 */
final class TransactionCommands {
    /** Commands a transaction may hold: the string commands whose effect EXEC can compute. */
    static final Set<String> QUEUEABLE = Set.of("get", "mget", "exists", "set", "setnx", "getset", "del", "mset",
            "incr", "decr", "incrby", "decrby", "expire", "pexpire", "persist", "ttl", "pttl", "ping", "echo",
            "unwatch");
    /** Commands that act on the transaction itself rather than being queued. */
    static final Set<String> CONTROL = Set.of("multi", "exec", "discard", "watch", "quit");

    private final RequestHandler kernel;
    private final TransactionExecutor executor;

    TransactionCommands(RequestHandler kernel) {
        this.kernel = kernel;
        this.executor = new TransactionExecutor(kernel);
    }

    List<CommandSpec> specs() {
        return List.of(
                CommandSpec.keyless("multi", 1, List.of("noscript", "loading", "stale", "fast"), this::multi),
                CommandSpec.keyless("exec", 1, List.of("noscript", "loading", "stale"), this::exec),
                CommandSpec.keyless("discard", 1, List.of("noscript", "loading", "stale", "fast"), this::discard),
                new CommandSpec("watch", -2, List.of("noscript", "loading", "stale", "fast"), 1, -1, 1, this::watch),
                CommandSpec.keyless("unwatch", 1, List.of("noscript", "loading", "stale", "fast"), this::unwatch));
    }

    /**
     * What a command sent inside MULTI gets: {@code +QUEUED}, or an error that also dooms the
     * transaction. Called by the command table for every command but the {@link #CONTROL} ones.
     */
    static RespReply queue(CommandSpec spec, RespRequest request, ClientSession session) {
        if (!QUEUEABLE.contains(spec.name())) {
            session.queueFailed();
            return RespReply.error("ERR Command not allowed inside a transaction: '" + spec.name()
                    + "' (modkv queues GET, MGET, EXISTS, SET, SETNX, GETSET, DEL, MSET, INCR, DECR, INCRBY, DECRBY, "
                    + "EXPIRE, PEXPIRE, PERSIST, TTL, PTTL, PING, ECHO)");
        }
        session.queue(request);
        return RespReply.simple("QUEUED");
    }

    private CompletableFuture<RespReply> multi(RespRequest request, ClientSession session) {
        if (session.inTransaction()) {
            return done(RespReply.error("ERR MULTI calls can not be nested"));
        }
        session.beginTransaction();
        return done(RespReply.OK);
    }

    private CompletableFuture<RespReply> exec(RespRequest request, ClientSession session) {
        if (!session.inTransaction()) {
            return done(RespReply.error("ERR EXEC without MULTI"));
        }
        boolean failed = session.transactionFailed();
        java.util.Map<ByteBuffer, Long> watched = java.util.Map.copyOf(session.watched());
        List<RespRequest> queued = session.endTransaction();
        if (failed) {
            return done(RespReply.error("EXECABORT Transaction discarded because of previous errors."));
        }
        return executor.exec(queued, watched);
    }

    private CompletableFuture<RespReply> discard(RespRequest request, ClientSession session) {
        if (!session.inTransaction()) {
            return done(RespReply.error("ERR DISCARD without MULTI"));
        }
        session.endTransaction();
        return done(RespReply.OK);
    }

    /** Records each key's version now (-1 when absent); EXEC applies only if they are unchanged. */
    private CompletableFuture<RespReply> watch(RespRequest request, ClientSession session) {
        if (session.inTransaction()) {
            session.queueFailed();
            return done(RespReply.error("ERR WATCH inside MULTI is not allowed"));
        }
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (byte[] key : request.from(1)) {
            ByteBuffer wrapped = ByteBuffer.wrap(key);
            if (session.watched().containsKey(wrapped)) {
                continue; // the first WATCH of a key counts, as in Redis
            }
            reads.add(kernel.getVersioned(key, Consistency.DEFAULT).thenAccept(value ->
                    session.watched().putIfAbsent(wrapped, value.map(VersionedValue::version).orElse(-1L))));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(ignored -> RespReply.OK);
    }

    private CompletableFuture<RespReply> unwatch(RespRequest request, ClientSession session) {
        session.watched().clear();
        return done(RespReply.OK);
    }

    private static CompletableFuture<RespReply> done(RespReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
