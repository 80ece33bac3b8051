package org.modkv.transport.resp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import org.modkv.api.transport.RequestHandler;

/**
 * Every command the transport serves, looked up by name (any case). Checks arity, runs the
 * command and guarantees a reply: unknown commands, wrong arity, exceptions and failed futures
 * all become RESP error replies, never a failed future. Thread-safe (immutable once built);
 * shared by all connections.
 */
final class CommandTable {
    private final Map<String, ResolvedCommand> byName;
    private final List<CommandSpec> specs;

    /**
     * @param kernel where requests go
     * @param connectedClients open connections, for INFO
     * @param port the bound port, for INFO and CONFIG GET
     */
    CommandTable(RequestHandler kernel, IntSupplier connectedClients, IntSupplier port) {
        List<CommandSpec> all = new ArrayList<>();
        all.addAll(new KeyValueCommands(kernel).specs());
        all.addAll(new ConditionalCommands(kernel).specs());
        all.addAll(new ListingCommands(kernel).specs());
        all.addAll(new ExpiryCommands(kernel).specs());
        all.addAll(new TransactionCommands(kernel).specs());
        all.addAll(new IndexCommands(kernel).specs());
        all.addAll(new ServerCommands(kernel, connectedClients, port, this::specs).specs());
        Map<String, ResolvedCommand> index = new HashMap<>();
        for (CommandSpec spec : all) {
            ResolvedCommand resolved = new ResolvedCommand(spec, spec.operation(),
                    spec.flags().contains("write") || ORDERED_LIKE_WRITES.contains(spec.name()), observesEarlierWrites(spec));
            if (index.put(spec.name().toUpperCase(Locale.ROOT), resolved) != null) {
                throw new IllegalStateException("command " + spec.name() + " is defined twice");
            }
        }
        this.byName = index;
        this.specs = Collections.unmodifiableList(all);
    }

    /** Every command, in a stable order. */
    Collection<CommandSpec> specs() {
        return specs;
    }

    /** The command {@code request} names, or {@link ResolvedCommand#UNKNOWN}. */
    ResolvedCommand resolve(RespRequest request) {
        return byName.getOrDefault(request.name(), ResolvedCommand.UNKNOWN);
    }

    /**
     * Whether a command must wait for its connection's unfinished writes, as Redis would have run
     * them first: every command that reads keys or the key space (GET, EXISTS, MGET, DEL, which
     * reads to count, DBSIZE, the index queries). Blind writes (SET, MSET) need not wait: storage
     * applies writes in the order they were offered, which is request order.
     */
    private static boolean observesEarlierWrites(CommandSpec spec) {
        if (BLIND_WRITES.contains(spec.name())) {
            return false;
        }
        return spec.firstKey() > 0 || KEYSPACE_READERS.contains(spec.name());
    }

    private static final java.util.Set<String> BLIND_WRITES = java.util.Set.of("set", "mset");
    private static final java.util.Set<String> KEYSPACE_READERS =
            java.util.Set.of("dbsize", "search", "searchany", "findvalue", "similar", "scan", "keys", "exec", "flushall", "flushdb");
    /**
     * Commands that later ones must wait for, like writes: WATCH records versions that EXEC reads,
     * EXEC writes.
     */
    private static final java.util.Set<String> ORDERED_LIKE_WRITES = java.util.Set.of("watch", "exec");

    /** Runs {@code request}; the future always completes normally, with an error reply on failure. */
    CompletableFuture<RespReply> execute(ResolvedCommand command, RespRequest request, ClientSession session) {
        CommandSpec spec = command.spec();
        if (spec == null) {
            if (session.inTransaction()) {
                session.queueFailed();
            }
            return CompletableFuture.completedFuture(RespErrors.unknownCommand(request.args()));
        }
        if (!spec.accepts(request.size())) {
            if (session.inTransaction()) {
                session.queueFailed();
            }
            return CompletableFuture.completedFuture(RespErrors.wrongArity(spec.name()));
        }
        if (session.inTransaction() && !TransactionCommands.CONTROL.contains(spec.name())) {
            return CompletableFuture.completedFuture(TransactionCommands.queue(spec, request, session));
        }
        CompletableFuture<RespReply> reply;
        try {
            reply = spec.action().run(request, session);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(RespErrors.fromFailure(e));
        }
        if (reply.isDone() && !reply.isCompletedExceptionally()) {
            return reply;
        }
        return reply.exceptionally(RespErrors::fromFailure);
    }
}
