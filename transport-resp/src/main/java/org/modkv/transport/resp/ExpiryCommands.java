package org.modkv.transport.resp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.kv.Expiry;
import org.modkv.api.kv.KeyChange;
import org.modkv.api.kv.RecordHeader;
import org.modkv.api.kv.VersionedValue;
import org.modkv.api.replication.Consistency;
import org.modkv.api.transport.RequestHandler;

/**
 * {@code EXPIRE}, {@code PEXPIRE} (with Redis 7's NX, XX, GT, LT), {@code TTL}, {@code PTTL} and
 * {@code PERSIST}. Setting or removing an expiry is a read-modify-write of the key decided on its
 * version (docs/design/kv-api.md); a time already past deletes the key, as in Redis.
 */
final class ExpiryCommands {
    private final RequestHandler kernel;

    ExpiryCommands(RequestHandler kernel) {
        this.kernel = kernel;
    }

    List<CommandSpec> specs() {
        List<String> write = List.of("write", "fast");
        List<String> read = List.of("readonly", "fast");
        return List.of(
                new CommandSpec("expire", -3, write, 1, 1, 1, (r, s) -> expire(r, 1000, "expire")),
                new CommandSpec("pexpire", -3, write, 1, 1, 1, (r, s) -> expire(r, 1, "pexpire")),
                new CommandSpec("ttl", 2, read, 1, 1, 1, (r, s) -> ttl(r, 1000)),
                new CommandSpec("pttl", 2, read, 1, 1, 1, (r, s) -> ttl(r, 1)),
                new CommandSpec("persist", 2, write, 1, 1, 1, this::persist));
    }

    private CompletableFuture<RespReply> expire(RespRequest request, long unitMillis, String command) {
        ExpireRequest expire = ExpireRequest.parse(request, unitMillis, command, System.currentTimeMillis());
        return kernel.update(request.arg(1), expire::change)
                .thenApply(result -> RespReply.integer(result.change().kind() == KeyChange.Kind.NONE ? 0 : 1));
    }

    /** A parsed EXPIRE or PEXPIRE: the absolute expiry asked for and its option. */
    record ExpireRequest(long expiresAt, String option, long nowMillis) {
        static ExpireRequest parse(RespRequest request, long unitMillis, String command, long nowMillis) {
            long amount = SetOptions.integer(request.arg(2));
            if (Math.abs(amount) > Long.MAX_VALUE / 4 / unitMillis) {
                throw new CommandRefused("ERR invalid expire time in '" + command + "' command");
            }
            String option = request.size() > 3 ? request.keyword(3).toUpperCase(Locale.ROOT) : "";
            if (request.size() > 4 || !List.of("", "NX", "XX", "GT", "LT").contains(option)) {
                throw new CommandRefused("ERR Unsupported option "
                        + RespErrors.printable(request.arg(request.size() - 1), 64));
            }
            return new ExpireRequest(nowMillis + amount * unitMillis, option, nowMillis);
        }

        /** What it does to a key whose value is {@code current}: nothing, a new expiry, or a delete. */
        KeyChange change(Optional<VersionedValue> current) {
            if (current.isPresent() && !allowed(option, current.get().expiresAtMillis(), expiresAt)) {
                return KeyChange.NONE;
            }
            return Expiry.at(expiresAt, nowMillis).change(current);
        }
    }

    /** Redis' NX (no expiry yet), XX (has one), GT (later than it; none counts as forever), LT. */
    private static boolean allowed(String option, long current, long next) {
        boolean none = current == RecordHeader.NO_EXPIRY;
        return switch (option) {
            case "NX" -> none;
            case "XX" -> !none;
            case "GT" -> !none && next > current;
            case "LT" -> none || next < current;
            default -> true;
        };
    }

    private CompletableFuture<RespReply> ttl(RespRequest request, long unitMillis) {
        return kernel.getVersioned(request.arg(1), Consistency.DEFAULT).thenApply(value -> ttlReply(value, unitMillis));
    }

    /** -2 when the key is absent, -1 when it does not expire, else the time left (seconds rounded, as Redis). */
    static RespReply ttlReply(Optional<VersionedValue> value, long unitMillis) {
        if (value.isEmpty()) {
            return RespReply.integer(-2);
        }
        long expiresAt = value.get().expiresAtMillis();
        if (expiresAt == RecordHeader.NO_EXPIRY) {
            return RespReply.integer(-1);
        }
        long left = Math.max(0, expiresAt - System.currentTimeMillis());
        return RespReply.integer(unitMillis == 1 ? left : (left + 500) / 1000);
    }

    private CompletableFuture<RespReply> persist(RespRequest request, ClientSession session) {
        return kernel.update(request.arg(1), Expiry.persist())
                .thenApply(result -> RespReply.integer(result.change().kind() == KeyChange.Kind.NONE ? 0 : 1));
    }



}
