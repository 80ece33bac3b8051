package org.modkv.transport.resp;

import java.util.Locale;
import java.util.Optional;
import org.modkv.api.kv.KeyChange;
import org.modkv.api.kv.RecordHeader;
import org.modkv.api.kv.VersionedValue;

/**
 * The options of {@code SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]}, checked
 * as Redis checks them.
 *
 * @param condition {@code NX}, {@code XX} or null
 * @param get whether the old value is returned
 * @param expiresAtMillis the absolute expiry asked for, {@link RecordHeader#NO_EXPIRY} for none
 * @param keepTtl whether the key keeps its current expiry
 */
record SetOptions(String condition, boolean get, long expiresAtMillis, boolean keepTtl) {

    /** Whether the command must read the key before writing it. */
    boolean readsFirst() {
        return get || keepTtl;
    }

    /** What SET with these options does to a key whose value is {@code current}. */
    KeyChange change(byte[] value, Optional<VersionedValue> current) {
        if ("NX".equals(condition) && current.isPresent() || "XX".equals(condition) && current.isEmpty()) {
            return KeyChange.NONE;
        }
        long expiry = keepTtl ? current.map(VersionedValue::expiresAtMillis).orElse(RecordHeader.NO_EXPIRY)
                : expiresAtMillis;
        return KeyChange.put(value, expiry);
    }

    /** SET's reply: the old value with GET, else OK, or nil when a condition kept it from writing. */
    RespReply reply(Optional<VersionedValue> before, KeyChange change) {
        if (get) {
            return KeyValueCommands.bulkOrNull(before.map(VersionedValue::value));
        }
        return change.kind() == KeyChange.Kind.NONE ? RespReply.NULL_BULK : RespReply.OK;
    }

    /**
     * Parses the options from argument {@code from}.
     *
     * @param nowMillis this node's wall clock, against which relative expiries count
     * @throws CommandRefused with the RESP error when an option is wrong
     */
    static SetOptions parse(RespRequest request, int from, long nowMillis) {
        String condition = null;
        boolean get = false;
        String expiry = null;
        long expiresAt = RecordHeader.NO_EXPIRY;
        boolean keepTtl = false;
        for (int i = from; i < request.size(); i++) {
            String option = request.keyword(i).toUpperCase(Locale.ROOT);
            switch (option) {
                case "NX", "XX" -> {
                    if (condition != null) {
                        throw syntax("NX and XX cannot be combined");
                    }
                    condition = option;
                }
                case "GET" -> get = true;
                case "KEEPTTL" -> {
                    if (expiry != null) {
                        throw syntax("KEEPTTL cannot be combined with " + expiry);
                    }
                    expiry = option;
                    keepTtl = true;
                }
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (expiry != null) {
                        throw syntax(option + " cannot be combined with " + expiry);
                    }
                    if (i + 1 >= request.size()) {
                        throw syntax(option + " needs a time");
                    }
                    expiry = option;
                    expiresAt = expiresAt(option, request.arg(++i), nowMillis, "set");
                }
                default -> throw syntax("'" + RespErrors.printable(request.arg(i), 64) + "' is not a SET option; "
                        + "allowed: NX, XX, GET, EX, PX, EXAT, PXAT, KEEPTTL");
            }
        }
        return new SetOptions(condition, get, expiresAt, keepTtl);
    }

    /**
     * The absolute expiry that {@code unit} ({@code EX}, {@code PX}, {@code EXAT}, {@code PXAT})
     * and {@code time} ask for, refusing what Redis refuses: a time that is not an integer, and a
     * time that is not positive ({@code ERR invalid expire time in 'set' command}).
     */
    static long expiresAt(String unit, byte[] time, long nowMillis, String command) {
        long value = integer(time);
        long limit = Long.MAX_VALUE / 4;
        if (value <= 0 || value > (unit.startsWith("E") ? limit / 1000 : limit)) {
            throw new CommandRefused("ERR invalid expire time in '" + command + "' command");
        }
        return switch (unit) {
            case "EX" -> nowMillis + value * 1000;
            case "PX" -> nowMillis + value;
            case "EXAT" -> value * 1000;
            default -> value;
        };
    }

    /** An integer argument, or Redis' error for one that is not. */
    static long integer(byte[] arg) {
        try {
            return org.modkv.api.kv.Counter.parse(arg);
        } catch (RuntimeException e) {
            throw new CommandRefused("ERR " + org.modkv.api.kv.Counter.NOT_AN_INTEGER);
        }
    }

    private static CommandRefused syntax(String detail) {
        return new CommandRefused("ERR syntax error: " + detail);
    }
}
