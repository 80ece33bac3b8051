package org.modkv.transport.resp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.modkv.api.transport.NodeStatus;
import org.modkv.api.transport.RequestHandler;

/**
 * Connection and server commands: PING, ECHO, QUIT, DBSIZE, INFO, and what Redis tools and
 * client libraries send when they connect ({@code COMMAND DOCS} from redis-cli,
 * {@code CONFIG GET save|appendonly} from redis-benchmark, {@code CLIENT SETINFO} from Jedis,
 * {@code HELLO} from RESP3-first clients, {@code SELECT 0}). All are answered on the event
 * loop from memory.
 */
final class ServerCommands {
    private final RequestHandler kernel;
    private final IntSupplier connectedClients;
    private final IntSupplier port;
    private final Supplier<Collection<CommandSpec>> commandTable;

    /**
     * @param connectedClients open RESP connections, for INFO
     * @param port the bound port, for INFO and CONFIG GET
     * @param commandTable every command served, for COMMAND
     */
    ServerCommands(RequestHandler kernel, IntSupplier connectedClients, IntSupplier port,
                   Supplier<Collection<CommandSpec>> commandTable) {
        this.kernel = kernel;
        this.connectedClients = connectedClients;
        this.port = port;
        this.commandTable = commandTable;
    }

    List<CommandSpec> specs() {
        return List.of(
                CommandSpec.keyless("ping", -1, List.of("fast", "stale"), this::ping),
                CommandSpec.keyless("echo", 2, List.of("fast"), (request, session) -> done(RespReply.bulk(request.arg(1)))),
                CommandSpec.keyless("quit", -1, List.of("fast", "noscript"), this::quit),
                CommandSpec.keyless("dbsize", 1, List.of("readonly", "fast"), this::dbsize),
                CommandSpec.keyless("info", -1, List.of("stale"), this::info),
                CommandSpec.keyless("command", -1, List.of("stale"), this::command),
                CommandSpec.keyless("select", 2, List.of("fast"), this::select),
                CommandSpec.keyless("client", -2, List.of("stale"), this::client),
                CommandSpec.keyless("config", -2, List.of("admin", "stale"), this::config),
                CommandSpec.keyless("hello", -1, List.of("fast", "stale"), this::hello),
                CommandSpec.keyless("auth", -2, List.of("fast", "stale"), (request, session) -> done(RespReply.error(
                        "ERR AUTH <password> called without any password configured for the default user. "
                                + "modkv has no authentication"))));
    }

    private CompletableFuture<RespReply> ping(RespRequest request, ClientSession session) {
        return switch (request.size()) {
            case 1 -> done(RespReply.PONG);
            case 2 -> done(RespReply.bulk(request.arg(1)));
            default -> done(RespErrors.wrongArity("ping"));
        };
    }

    private CompletableFuture<RespReply> quit(RespRequest request, ClientSession session) {
        session.quit();
        return done(RespReply.OK);
    }

    private CompletableFuture<RespReply> dbsize(RespRequest request, ClientSession session) {
        return done(RespReply.integer(kernel.status().keys()));
    }

    private CompletableFuture<RespReply> info(RespRequest request, ClientSession session) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < request.size(); i++) {
            sections.add(request.text(i));
        }
        NodeStatus status = kernel.status();
        return done(RespReply.bulk(InfoReport.render(sections, status, kernel.stats(), connectedClients.getAsInt(),
                port.getAsInt())));
    }

    /**
     * {@code COMMAND} lists every command in Redis' six-field form; {@code COUNT}, {@code LIST},
     * {@code INFO name...} and {@code DOCS [name...]} as in Redis ({@link CommandDocs}, which
     * redis-cli 7 turns into its HELP and argument hints).
     */
    private CompletableFuture<RespReply> command(RespRequest request, ClientSession session) {
        Collection<CommandSpec> specs = commandTable.get();
        if (request.size() == 1) {
            return done(RespReply.array(specs.stream().map(CommandSpec::describe).toList()));
        }
        String sub = request.keyword(1);
        switch (sub) {
            case "COUNT":
                return done(request.size() == 2 ? RespReply.integer(specs.size()) : RespErrors.wrongArity("command|count"));
            case "DOCS": {
                List<RespReply> docs = new ArrayList<>();
                for (CommandSpec spec : specs) {
                    boolean asked = request.size() == 2;
                    for (int i = 2; i < request.size() && !asked; i++) {
                        asked = request.keyword(i).equalsIgnoreCase(spec.name());
                    }
                    if (asked) {
                        docs.add(RespReply.bulk(spec.name()));
                        docs.add(CommandDocs.of(spec.name()));
                    }
                }
                return done(RespReply.array(docs));
            }
            case "LIST":
                return done(RespReply.array(specs.stream().map(spec -> RespReply.bulk(spec.name())).toList()));
            case "INFO": {
                Map<String, CommandSpec> byName = new LinkedHashMap<>();
                specs.forEach(spec -> byName.put(spec.name(), spec));
                List<RespReply> entries = new ArrayList<>();
                for (int i = 2; i < request.size(); i++) {
                    CommandSpec spec = byName.get(request.keyword(i).toLowerCase(Locale.ROOT));
                    entries.add(spec == null ? RespReply.NULL_BULK : spec.describe());
                }
                return done(RespReply.array(entries));
            }
            default:
                return done(RespErrors.unknownSubcommand("command", request.arg(1), "COMMAND, COMMAND COUNT, "
                        + "COMMAND DOCS, COMMAND INFO and COMMAND LIST"));
        }
    }

    /** Only database 0 exists, as in Redis Cluster. */
    private CompletableFuture<RespReply> select(RespRequest request, ClientSession session) {
        long db;
        try {
            db = request.number(1);
        } catch (NumberFormatException e) {
            return done(RespErrors.notAnInteger());
        }
        return done(db == 0 ? RespReply.OK : RespReply.error("ERR DB index is out of range; modkv has database 0 only"));
    }

    private CompletableFuture<RespReply> client(RespRequest request, ClientSession session) {
        String sub = request.keyword(1);
        switch (sub) {
            case "SETNAME": {
                if (request.size() != 3) {
                    return done(RespErrors.wrongArity("client|setname"));
                }
                byte[] name = request.arg(2);
                for (byte b : name) {
                    if (b < '!' || b > '~') {
                        return done(RespReply.error(
                                "ERR Client names cannot contain spaces, newlines or special characters."));
                    }
                }
                session.name(name.length == 0 ? null : name);
                return done(RespReply.OK);
            }
            case "GETNAME":
                return done(session.name() == null ? RespReply.NULL_BULK : RespReply.bulk(session.name()));
            case "ID":
                return done(RespReply.integer(session.id()));
            case "SETINFO":
                // Library name and version (Jedis, redis-py send them on connect); accepted, not kept.
                return done(request.size() == 4 ? RespReply.OK : RespErrors.wrongArity("client|setinfo"));
            default:
                return done(RespErrors.unknownSubcommand("client", request.arg(1),
                        "CLIENT SETNAME, GETNAME, ID and SETINFO"));
        }
    }

    /**
     * {@code CONFIG GET pattern...} answers a few Redis parameters with values true of modkv
     * (redis-benchmark asks for {@code save} and {@code appendonly}); nothing can be set:
     * modkv is configured through {@code modkv.properties}.
     */
    private CompletableFuture<RespReply> config(RespRequest request, ClientSession session) {
        String sub = request.keyword(1);
        if (!sub.equals("GET")) {
            return done(RespReply.error("ERR CONFIG " + RespErrors.printable(request.arg(1), 32)
                    + " is not supported by modkv; configure the node with resp.* and other keys in modkv.properties"));
        }
        if (request.size() < 3) {
            return done(RespErrors.wrongArity("config|get"));
        }
        Map<String, String> known = new LinkedHashMap<>();
        known.put("save", "");
        known.put("appendonly", "yes");
        known.put("databases", "1");
        known.put("maxmemory", "0");
        known.put("port", Integer.toString(port.getAsInt()));
        List<RespReply> pairs = new ArrayList<>();
        known.forEach((name, value) -> {
            for (int i = 2; i < request.size(); i++) {
                if (GlobPattern.matches(request.text(i).toLowerCase(Locale.ROOT), name)) {
                    pairs.add(RespReply.bulk(name));
                    pairs.add(RespReply.bulk(value));
                    break;
                }
            }
        });
        return done(RespReply.array(pairs));
    }

    /**
     * {@code HELLO [2 [SETNAME name]]} answers the RESP2 server description; {@code HELLO 3}
     * gets Redis' {@code -NOPROTO}, on which RESP3-first clients fall back to RESP2.
     */
    private CompletableFuture<RespReply> hello(RespRequest request, ClientSession session) {
        if (request.size() > 1) {
            long version;
            try {
                version = request.number(1);
            } catch (NumberFormatException e) {
                return done(RespReply.error("ERR Protocol version is not an integer or out of range"));
            }
            if (version != 2) {
                return done(RespReply.error("NOPROTO sorry, this protocol version is not supported; modkv speaks RESP2"));
            }
            for (int i = 2; i < request.size(); i++) {
                String option = request.keyword(i);
                if (option.equals("SETNAME") && i + 1 < request.size()) {
                    session.name(request.arg(++i));
                } else if (option.equals("AUTH")) {
                    return done(RespReply.error("ERR AUTH is not supported: modkv has no authentication"));
                } else {
                    return done(RespErrors.syntax("in option '" + RespErrors.printable(request.arg(i), 32) + "'"));
                }
            }
        }
        NodeStatus status = kernel.status();
        return done(RespReply.array(List.of(
                RespReply.bulk("server"), RespReply.bulk("modkv"),
                RespReply.bulk("version"), RespReply.bulk(InfoReport.REDIS_VERSION),
                RespReply.bulk("proto"), RespReply.integer(2),
                RespReply.bulk("id"), RespReply.integer(session.id()),
                RespReply.bulk("mode"), RespReply.bulk("standalone"),
                RespReply.bulk("role"), RespReply.bulk(status.replication().role().label()),
                RespReply.bulk("modules"), RespReply.EMPTY_ARRAY)));
    }

    private static CompletableFuture<RespReply> done(RespReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
