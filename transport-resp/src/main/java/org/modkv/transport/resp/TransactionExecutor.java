package org.modkv.transport.resp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.modkv.api.ModkvException;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.Counter;
import org.modkv.api.kv.Expiry;
import org.modkv.api.kv.KeyChange;
import org.modkv.api.kv.KeyUpdate;
import org.modkv.api.kv.RecordHeader;
import org.modkv.api.kv.VersionedValue;
import org.modkv.api.replication.Consistency;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.RequestHandler;

/**
 * Runs a MULTI queue as one atomic write (docs/design/kv-api.md): reads every key the commands
 * touch with its version, computes each command's reply and effect in order over those values,
 * and writes the final state of the changed keys in one conditional write whose conditions are
 * that every key read still has the version read (or is still absent) and every WATCHed key the
 * version it had at WATCH. If a WATCHed key changed, EXEC answers a null array. If another key
 * changed meanwhile, it starts over (up to {@link #MAX_ATTEMPTS} times), so the commands appear
 * to run alone, as in Redis. A command that fails at run time (INCR of text) answers its error in
 * its slot and changes nothing; the others still apply, as in Redis.
 */
final class TransactionExecutor {
    static final int MAX_ATTEMPTS = 200;

    private final RequestHandler kernel;

    TransactionExecutor(RequestHandler kernel) {
        this.kernel = kernel;
    }

    CompletableFuture<RespReply> exec(List<RespRequest> queued, Map<ByteBuffer, Long> watched) {
        return attempt(queued, watched, 1);
    }

    private CompletableFuture<RespReply> attempt(List<RespRequest> queued, Map<ByteBuffer, Long> watched, int attempt) {
        Set<ByteBuffer> keys = new LinkedHashSet<>(watched.keySet());
        for (RespRequest request : queued) {
            keys.addAll(keysOf(request));
        }
        Map<ByteBuffer, CompletableFuture<Optional<VersionedValue>>> reads = new LinkedHashMap<>();
        for (ByteBuffer key : keys) {
            reads.put(key, kernel.getVersioned(key.array(), Consistency.DEFAULT));
        }
        return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
            Map<ByteBuffer, Optional<VersionedValue>> read = new HashMap<>();
            reads.forEach((key, value) -> read.put(key, value.join()));
            for (Map.Entry<ByteBuffer, Long> watch : watched.entrySet()) {
                if (version(read.get(watch.getKey())) != watch.getValue()) {
                    return CompletableFuture.completedFuture(RespReply.NULL_ARRAY);
                }
            }
            Run run = new Run(read);
            List<RespReply> replies = new ArrayList<>(queued.size());
            for (RespRequest request : queued) {
                replies.add(run.execute(request));
            }
            if (run.changed.isEmpty()) {
                return CompletableFuture.completedFuture(RespReply.array(replies));
            }
            return kernel.writeIf(run.write()).thenCompose(outcome -> {
                if (outcome.applied()) {
                    return CompletableFuture.completedFuture(RespReply.array(replies));
                }
                if (attempt >= MAX_ATTEMPTS) {
                    return CompletableFuture.completedFuture(RespReply.error("BUSY the transaction's keys were changed "
                            + "by other writes " + MAX_ATTEMPTS + " times while EXEC ran; retry"));
                }
                long pauseMicros = ThreadLocalRandom.current().nextLong(100, 1_000L * Math.min(attempt, 10) + 101);
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(pauseMicros, TimeUnit.MICROSECONDS))
                        .thenCompose(later -> attempt(queued, watched, attempt + 1));
            });
        });
    }

    private static long version(Optional<VersionedValue> value) {
        return value.map(VersionedValue::version).orElse(-1L);
    }

    /** The keys a queued command names. */
    private static List<ByteBuffer> keysOf(RespRequest request) {
        String name = request.name();
        List<ByteBuffer> keys = new ArrayList<>();
        int step = name.equals("MSET") ? 2 : 1;
        int last = switch (name) {
            case "MGET", "EXISTS", "DEL", "MSET" -> request.size() - 1;
            case "PING", "ECHO", "UNWATCH" -> 0;
            default -> Math.min(1, request.size() - 1);
        };
        for (int i = 1; i <= last; i += step) {
            keys.add(ByteBuffer.wrap(request.arg(i)));
        }
        return keys;
    }

    /** One evaluation of the queue over the values read: each command's reply, and the keys it changed. */
    private static final class Run {
        private final Map<ByteBuffer, Optional<VersionedValue>> read;
        private final Map<ByteBuffer, Optional<VersionedValue>> now = new HashMap<>();
        private final Set<ByteBuffer> changed = new LinkedHashSet<>();

        Run(Map<ByteBuffer, Optional<VersionedValue>> read) {
            this.read = read;
            now.putAll(read);
        }

        RespReply execute(RespRequest request) {
            try {
                return reply(request);
            } catch (CommandRefused | ModkvException e) {
                return RespErrors.fromFailure(e);
            }
        }

        private RespReply reply(RespRequest request) {
            long clock = System.currentTimeMillis();
            return switch (request.name()) {
                case "GET" -> KeyValueCommands.bulkOrNull(value(request.arg(1)).map(VersionedValue::value));
                case "MGET" -> {
                    List<RespReply> values = new ArrayList<>();
                    for (byte[] key : request.from(1)) {
                        values.add(KeyValueCommands.bulkOrNull(value(key).map(VersionedValue::value)));
                    }
                    yield RespReply.array(values);
                }
                case "EXISTS" -> RespReply.integer(request.from(1).stream().filter(k -> value(k).isPresent()).count());
                case "SET" -> {
                    SetOptions options = SetOptions.parse(request, 3, clock);
                    Optional<VersionedValue> before = value(request.arg(1));
                    yield options.reply(before, change(request.arg(1), c -> options.change(request.arg(2), c)));
                }
                case "SETNX" -> RespReply.integer(change(request.arg(1), c -> c.isPresent() ? KeyChange.NONE
                        : KeyChange.put(request.arg(2), RecordHeader.NO_EXPIRY)).kind() == KeyChange.Kind.NONE ? 0 : 1);
                case "GETSET" -> {
                    Optional<VersionedValue> before = value(request.arg(1));
                    change(request.arg(1), c -> KeyChange.put(request.arg(2), RecordHeader.NO_EXPIRY));
                    yield KeyValueCommands.bulkOrNull(before.map(VersionedValue::value));
                }
                case "DEL" -> {
                    long deleted = 0;
                    for (byte[] key : new LinkedHashSet<>(request.from(1).stream().map(ByteBuffer::wrap).toList())
                            .stream().map(ByteBuffer::array).toList()) {
                        deleted += change(key, c -> c.isPresent() ? KeyChange.DELETE : KeyChange.NONE).kind()
                                == KeyChange.Kind.DELETE ? 1 : 0;
                    }
                    yield RespReply.integer(deleted);
                }
                case "MSET" -> {
                    if (request.size() % 2 == 0) {
                        yield RespErrors.wrongArity("mset");
                    }
                    for (int i = 1; i < request.size(); i += 2) {
                        byte[] value = request.arg(i + 1);
                        change(request.arg(i), c -> KeyChange.put(value, RecordHeader.NO_EXPIRY));
                    }
                    yield RespReply.OK;
                }
                case "INCR", "DECR", "INCRBY", "DECRBY" -> {
                    long delta = switch (request.name()) {
                        case "INCR" -> 1;
                        case "DECR" -> -1;
                        case "INCRBY" -> SetOptions.integer(request.arg(2));
                        default -> {
                            long by = SetOptions.integer(request.arg(2));
                            if (by == Long.MIN_VALUE) {
                                throw new CommandRefused("ERR decrement would overflow");
                            }
                            yield -by;
                        }
                    };
                    yield RespReply.integer(Counter.parse(change(request.arg(1), Counter.add(delta)).value()));
                }
                case "EXPIRE", "PEXPIRE" -> {
                    boolean seconds = request.name().equals("EXPIRE");
                    ExpiryCommands.ExpireRequest expire = ExpiryCommands.ExpireRequest.parse(request,
                            seconds ? 1000 : 1, seconds ? "expire" : "pexpire", clock);
                    yield RespReply.integer(change(request.arg(1), expire::change).kind() == KeyChange.Kind.NONE ? 0 : 1);
                }
                case "PERSIST" -> RespReply.integer(change(request.arg(1), Expiry.persist()).kind()
                        == KeyChange.Kind.NONE ? 0 : 1);
                case "TTL" -> ExpiryCommands.ttlReply(value(request.arg(1)), 1000);
                case "PTTL" -> ExpiryCommands.ttlReply(value(request.arg(1)), 1);
                case "PING" -> request.size() > 1 ? RespReply.bulk(request.arg(1)) : RespReply.PONG;
                case "ECHO" -> RespReply.bulk(request.arg(1));
                case "UNWATCH" -> RespReply.OK;
                default -> RespReply.error("ERR Command not allowed inside a transaction");
            };
        }

        private Optional<VersionedValue> value(byte[] key) {
            Optional<VersionedValue> value = now.get(ByteBuffer.wrap(key));
            return value == null ? Optional.empty() : value;
        }

        /** Applies what {@code update} decides to the key's current value here; answers the change. */
        private KeyChange change(byte[] key, KeyUpdate update) {
            KeyChange change = update.change(value(key));
            ByteBuffer wrapped = ByteBuffer.wrap(key);
            switch (change.kind()) {
                case PUT -> now.put(wrapped, Optional.of(new VersionedValue(change.value(), 0, change.expiresAtMillis())));
                case DELETE -> now.put(wrapped, Optional.empty());
                case NONE -> {
                    return change;
                }
            }
            changed.add(wrapped);
            return change;
        }

        /** The final state of every changed key, on the condition that every key read is as it was read. */
        ConditionalWrite write() {
            List<Condition> conditions = new ArrayList<>(read.size());
            read.forEach((key, value) -> conditions.add(value
                    .map(v -> Condition.versionEquals(key.array(), v.version()))
                    .orElse(Condition.absent(key.array()))));
            WriteBatch batch = new WriteBatch();
            for (ByteBuffer key : changed) {
                Optional<VersionedValue> value = now.get(key);
                if (value.isPresent()) {
                    batch.put(key.array(), value.get().value(), ConditionalWrite.expiring(value.get().expiresAtMillis()));
                } else {
                    batch.delete(key.array());
                }
            }
            return new ConditionalWrite(conditions, batch);
        }
    }
}
