package org.modkv.transport.resp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.modkv.api.transport.RequestOperation;

/**
 * A command the transport serves, with what Redis' {@code COMMAND} reports about it.
 *
 * @param name lower-case name, as {@code COMMAND} lists it
 * @param arity Redis' convention: {@code n >= 0} means exactly {@code n} arguments counting
 *     the name, {@code -n} means at least {@code n}
 * @param flags e.g. {@code readonly}, {@code write}, {@code fast}
 * @param firstKey position of the first key argument, 0 if none
 * @param lastKey position of the last key, -1 for "the last argument"
 * @param keyStep distance between keys
 * @param action what it does
 */
record CommandSpec(String name, int arity, List<String> flags, int firstKey, int lastKey, int keyStep,
                   CommandAction action) {

    CommandSpec {
        name = name.toLowerCase(Locale.ROOT);
        flags = List.copyOf(flags);
    }

    /** A command without key arguments. */
    static CommandSpec keyless(String name, int arity, List<String> flags, CommandAction action) {
        return new CommandSpec(name, arity, flags, 0, 0, 0, action);
    }

    /** Whether {@code argc} arguments (counting the name) satisfy the arity. */
    boolean accepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /** What the command counts as in the node's per-operation latency histograms. */
    RequestOperation operation() {
        return switch (name) {
            case "get", "mget", "exists" -> RequestOperation.GET;
            case "vget", "scan", "keys", "ttl", "pttl" -> RequestOperation.GET;
            case "set", "setnx", "getset", "incr", "incrby", "decr", "decrby", "cas", "expire", "pexpire", "persist" ->
                    RequestOperation.PUT;
            case "cad", "flushall", "flushdb" -> RequestOperation.DELETE;
            case "del" -> RequestOperation.DELETE;
            case "mset" -> RequestOperation.BATCH;
            case "search", "searchany", "similar", "findvalue" -> RequestOperation.QUERY;
            default -> RequestOperation.OTHER;
        };
    }

    /** The entry {@code COMMAND} and {@code COMMAND INFO} return for this command. */
    RespReply describe() {
        List<RespReply> flagReplies = new ArrayList<>(flags.size());
        for (String flag : flags) {
            flagReplies.add(RespReply.simple(flag));
        }
        return RespReply.array(List.of(
                RespReply.bulk(name),
                RespReply.integer(arity),
                RespReply.array(flagReplies),
                RespReply.integer(firstKey),
                RespReply.integer(lastKey),
                RespReply.integer(keyStep)));
    }
}
