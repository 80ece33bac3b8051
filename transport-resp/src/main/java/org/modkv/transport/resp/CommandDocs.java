package org.modkv.transport.resp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code COMMAND DOCS} says about each command, in Redis 7's shape (RESP2 maps are flat
 * arrays): {@code name, [summary, ..., since, ..., group, ..., arguments, [...]]}. redis-cli 7
 * builds its {@code HELP} and its argument hints from this, so {@code HELP SIMILAR} explains
 * modkv's own commands. redis-cli asserts on the element types (bulk strings for text, status
 * replies for argument flags), so the shapes here are exact.
 */
final class CommandDocs {
    private static final String REDIS_SINCE = "1.0.0";
    private static final Map<String, RespReply> DOCS = build();

    private CommandDocs() {
    }

    /** Whether {@code name} has its own docs. */
    static boolean documents(String name) {
        return DOCS.containsKey(name);
    }

    /** The docs of {@code name}, or a generic entry. */
    static RespReply of(String name) {
        RespReply docs = DOCS.get(name);
        return docs != null ? docs : doc("modkv command", "generic", REDIS_SINCE);
    }

    private static Map<String, RespReply> build() {
        String modkv = InfoReport.MODKV_VERSION;
        Map<String, RespReply> docs = new LinkedHashMap<>();
        docs.put("get", doc("Returns the value of a key, or nil.", "string", REDIS_SINCE, arg("key", "key")));
        docs.put("set", doc("Sets the value of a key, durably; NX only if absent, XX only if present, GET returns "
                        + "the old value, EX/PX/EXAT/PXAT set an expiry, KEEPTTL keeps the key's.",
                "string", REDIS_SINCE, arg("key", "key"), arg("value", "string"), flag("NX"), flag("XX"), flag("GET"),
                token("EX", "seconds", "integer"), token("PX", "milliseconds", "integer"),
                token("EXAT", "unix-time-seconds", "integer"), token("PXAT", "unix-time-milliseconds", "integer"),
                flag("KEEPTTL")));
        docs.put("setnx", doc("Sets the key only if it does not exist; 1 if it did.", "string", REDIS_SINCE,
                arg("key", "key"), arg("value", "string")));
        docs.put("getset", doc("Sets the key and returns its old value (or nil); drops the expiry.", "string",
                REDIS_SINCE, arg("key", "key"), arg("value", "string")));
        for (String counter : List.of("incr", "decr")) {
            docs.put(counter, doc(counter.toUpperCase(Locale.ROOT) + "s the integer value of a key by one "
                    + "(absent counts as 0); returns the new value.", "string", REDIS_SINCE, arg("key", "key")));
            docs.put(counter + "by", doc(counter.toUpperCase(Locale.ROOT) + "s the integer value of a key by the "
                    + "amount; returns the new value.", "string", REDIS_SINCE, arg("key", "key"),
                    arg(counter.equals("incr") ? "increment" : "decrement", "integer")));
        }
        docs.put("scan", doc("Iterates the keys in byte order: returns the next cursor (0 at the end) and a page "
                        + "of keys. No key is returned twice in a pass.", "generic", "2.8.0", arg("cursor", "integer"),
                token("MATCH", "pattern", "pattern"), token("COUNT", "count", "integer"), token("TYPE", "type", "string")));
        docs.put("keys", doc("Returns every key matching the pattern. Walks the whole key space: expensive, for "
                + "debugging; use SCAN in programs.", "generic", REDIS_SINCE, arg("pattern", "pattern")));
        for (String unit : List.of("", "p")) {
            String name = unit.isEmpty() ? "seconds" : "milliseconds";
            docs.put(unit + "expire", doc("Sets the key to expire after this many " + name + " (NX: only without an "
                            + "expiry, XX: only with one, GT/LT: only later/earlier); 1 if set.", "generic", REDIS_SINCE,
                    arg("key", "key"), arg(name, "integer"), flag("NX"), flag("XX"), flag("GT"), flag("LT")));
            docs.put(unit + "ttl", doc("The " + name + " left before the key expires; -1 without expiry, -2 absent.",
                    "generic", REDIS_SINCE, arg("key", "key")));
        }
        docs.put("persist", doc("Removes the key's expiry; 1 if it had one.", "generic", "2.2.0", arg("key", "key")));
        for (String flush : List.of("flushall", "flushdb")) {
            docs.put(flush, doc("Deletes every key (modkv has one database), page by page; a key written meanwhile "
                    + "may survive.", "server", REDIS_SINCE, flag("ASYNC"), flag("SYNC")));
        }
        docs.put("multi", doc("Starts a transaction: the commands that follow are queued until EXEC.", "transactions",
                REDIS_SINCE));
        docs.put("exec", doc("Runs the queued commands as one atomic write; nil if a WATCHed key changed.",
                "transactions", REDIS_SINCE));
        docs.put("discard", doc("Drops the queued commands.", "transactions", "2.0.0"));
        docs.put("watch", doc("Makes the next EXEC apply only if these keys are unchanged until then.",
                "transactions", "2.2.0", arg("key", "key", "multiple")));
        docs.put("unwatch", doc("Forgets every WATCHed key.", "transactions", "2.2.0"));
        docs.put("vget", doc("modkv: the value of a key and its version (for CAS), or nil.", "modkv", modkv,
                arg("key", "key")));
        docs.put("cas", doc("modkv: sets the key only if it has this version (from VGET); 1 if it did.", "modkv",
                modkv, arg("key", "key"), arg("version", "integer"), arg("value", "string")));
        docs.put("cad", doc("modkv: deletes the key only if it has this version (from VGET); 1 if it did.",
                "modkv", modkv, arg("key", "key"), arg("version", "integer")));
        docs.put("del", doc("Deletes keys; returns how many existed.", "generic", REDIS_SINCE,
                arg("key", "key", "multiple")));
        docs.put("exists", doc("Counts how many of the keys exist (a key named twice counts twice).", "generic",
                REDIS_SINCE, arg("key", "key", "multiple")));
        docs.put("mget", doc("Returns the values of keys, nil for missing ones.", "string", REDIS_SINCE,
                arg("key", "key", "multiple")));
        docs.put("mset", doc("Sets several keys in one atomic batch: all or none.", "string", REDIS_SINCE,
                block("data", List.of(arg("key", "key"), arg("value", "string")), "multiple")));
        docs.put("search", doc("modkv: keys whose value matches the query, every word (fulltext index): "
                        + "phrases in quotes, prefix*, -exclusion. Replies the total, then the keys, best first.",
                "modkv", modkv, searchArguments()));
        docs.put("searchany", doc("modkv: keys whose value matches at least one word of the query (fulltext "
                        + "index). Replies the total, then the keys, best first.", "modkv", modkv, searchArguments()));
        docs.put("findvalue", doc("modkv: keys whose value is exactly this value, any bytes (fulltext index). "
                        + "Replies the total, then the keys.", "modkv", modkv,
                arg("value", "string"), limit(), flag("STALE")));
        docs.put("similar", doc("modkv: keys whose values are most similar to the text (tfidf index), as "
                        + "key, score pairs (TF-IDF cosine, 0..1), best first. TOP k is LIMIT 0 k.", "modkv", modkv,
                arg("text", "string"), token("TOP", "k", "integer"), token("MIN", "score", "double"), limit(),
                flag("STALE")));
        docs.put("ping", doc("Returns PONG, or the message.", "connection", REDIS_SINCE,
                arg("message", "string", "optional")));
        docs.put("echo", doc("Returns the message.", "connection", REDIS_SINCE, arg("message", "string")));
        docs.put("quit", doc("Closes the connection after replying OK.", "connection", REDIS_SINCE));
        docs.put("dbsize", doc("Returns the number of keys on this node.", "server", REDIS_SINCE));
        docs.put("info", doc("Returns node information: Server, Clients, Replication (role, leader_id), "
                + "Keyspace and the kernel's figures.", "server", REDIS_SINCE, arg("section", "string", "optional",
                "multiple")));
        docs.put("command", doc("Describes the commands this node serves (COUNT, DOCS, INFO, LIST).", "server",
                "2.8.13", arg("subcommand", "string", "optional"), arg("command-name", "string", "optional",
                        "multiple")));
        docs.put("select", doc("Selects the database; modkv has database 0 only.", "connection", REDIS_SINCE,
                arg("index", "integer")));
        docs.put("client", doc("Connection settings: SETNAME name, GETNAME, ID, SETINFO attr value.", "connection",
                "2.4.0", arg("subcommand", "string"), arg("argument", "string", "optional", "multiple")));
        docs.put("config", doc("CONFIG GET pattern: a few Redis parameters as modkv answers them; nothing "
                + "can be set (use modkv.properties).", "server", "2.0.0", arg("subcommand", "string"),
                arg("pattern", "pattern", "multiple")));
        docs.put("hello", doc("Handshake: answers for RESP2; RESP3 is not supported (NOPROTO).", "connection",
                "6.0.0", arg("protover", "integer", "optional")));
        docs.put("auth", doc("modkv has no authentication; always an error.", "connection", REDIS_SINCE,
                arg("password", "string")));
        return Map.copyOf(docs);
    }

    private static RespReply doc(String summary, String group, String since, RespReply... arguments) {
        List<RespReply> fields = new ArrayList<>(List.of(
                RespReply.bulk("summary"), RespReply.bulk(summary),
                RespReply.bulk("since"), RespReply.bulk(since),
                RespReply.bulk("group"), RespReply.bulk(group)));
        if (arguments.length > 0) {
            fields.add(RespReply.bulk("arguments"));
            fields.add(RespReply.array(Arrays.asList(arguments)));
        }
        return RespReply.array(fields);
    }

    /** An argument; flags among {@code optional}, {@code multiple}. */
    private static RespReply arg(String name, String type, String... flags) {
        List<RespReply> fields = new ArrayList<>(List.of(
                RespReply.bulk("name"), RespReply.bulk(name),
                RespReply.bulk("type"), RespReply.bulk(type)));
        addFlags(fields, flags);
        return RespReply.array(fields);
    }

    /** An optional {@code TOKEN value} pair, e.g. {@code [TOP k]}. */
    private static RespReply token(String token, String name, String type) {
        List<RespReply> fields = new ArrayList<>(List.of(
                RespReply.bulk("name"), RespReply.bulk(name),
                RespReply.bulk("type"), RespReply.bulk(type),
                RespReply.bulk("token"), RespReply.bulk(token)));
        addFlags(fields, new String[] {"optional"});
        return RespReply.array(fields);
    }

    /** SEARCH's and SEARCHANY's arguments. */
    private static RespReply[] searchArguments() {
        return new RespReply[] {arg("query", "string", "multiple"), limit(), flag("WITHSCORES"), flag("STALE")};
    }

    /** {@code [LIMIT offset count]}. */
    private static RespReply limit() {
        List<RespReply> fields = new ArrayList<>(List.of(
                RespReply.bulk("name"), RespReply.bulk("limit"),
                RespReply.bulk("type"), RespReply.bulk("block"),
                RespReply.bulk("token"), RespReply.bulk("LIMIT"),
                RespReply.bulk("arguments"), RespReply.array(List.of(arg("offset", "integer"), arg("count", "integer")))));
        addFlags(fields, new String[] {"optional"});
        return RespReply.array(fields);
    }

    /** An optional keyword on its own, e.g. {@code [STALE]}. */
    private static RespReply flag(String token) {
        List<RespReply> fields = new ArrayList<>(List.of(
                RespReply.bulk("name"), RespReply.bulk(token.toLowerCase(Locale.ROOT)),
                RespReply.bulk("type"), RespReply.bulk("pure-token"),
                RespReply.bulk("token"), RespReply.bulk(token)));
        addFlags(fields, new String[] {"optional"});
        return RespReply.array(fields);
    }

    /** A group of arguments that repeat together, e.g. MSET's {@code key value}. */
    private static RespReply block(String name, List<RespReply> arguments, String... flags) {
        List<RespReply> fields = new ArrayList<>(List.of(
                RespReply.bulk("name"), RespReply.bulk(name),
                RespReply.bulk("type"), RespReply.bulk("block"),
                RespReply.bulk("arguments"), RespReply.array(arguments)));
        addFlags(fields, flags);
        return RespReply.array(fields);
    }

    private static void addFlags(List<RespReply> fields, String[] flags) {
        if (flags.length > 0) {
            fields.add(RespReply.bulk("flags"));
            fields.add(RespReply.array(Arrays.stream(flags).map(RespReply::simple).toList()));
        }
    }
}
