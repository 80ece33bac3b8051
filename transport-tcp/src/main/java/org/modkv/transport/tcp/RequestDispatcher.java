package org.modkv.transport.tcp;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.Counter;
import org.modkv.api.kv.Expiry;
import org.modkv.api.kv.KeyChange;
import org.modkv.api.kv.KeyEntry;
import org.modkv.api.kv.KeyPage;
import org.modkv.api.kv.KeyRange;
import org.modkv.api.kv.VersionedValue;
import org.modkv.api.replication.Consistency;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.RequestHandler;
import org.modkv.protocol.wire.BulkEntry;
import org.modkv.protocol.wire.Compare;
import org.modkv.protocol.wire.CounterValue;
import org.modkv.protocol.wire.Deleted;
import org.modkv.protocol.wire.Flushed;
import org.modkv.protocol.wire.Hit;
import org.modkv.protocol.wire.Hits;
import org.modkv.protocol.wire.Ok;
import org.modkv.protocol.wire.Pong;
import org.modkv.protocol.wire.Put;
import org.modkv.protocol.wire.Query;
import org.modkv.protocol.wire.RangeEntry;
import org.modkv.protocol.wire.RangePage;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;
import org.modkv.protocol.wire.StatsEntry;
import org.modkv.protocol.wire.StatsReply;
import org.modkv.protocol.wire.StatsSection;
import org.modkv.protocol.wire.Value;
import org.modkv.protocol.wire.Values;
import org.modkv.protocol.wire.Written;

/**
 * Turns a wire request (other than Hello) into a {@link RequestHandler} call and its result
 * into a wire response. Stateless and shared by all connections; never blocks and never
 * throws: every failure becomes an {@code Error} response.
 */
final class RequestDispatcher {
    /** The option that says how a binary value became the argument (docs/design/search-commands.md). */
    static final String VALUE_ENCODING = IndexQuery.VALUE_ENCODING;
    private static final Response.Builder OK = Response.newBuilder().setOk(Ok.getDefaultInstance());

    private final RequestHandler handler;
    private final Supplier<Map<String, Object>> transportStats;

    RequestDispatcher(RequestHandler handler, Supplier<Map<String, Object>> transportStats) {
        this.handler = handler;
        this.transportStats = transportStats;
    }

    /** The response to {@code request}, carrying its id. */
    CompletableFuture<Response> dispatch(Request request) {
        long id = request.getId();
        CompletableFuture<Response.Builder> reply;
        try {
            reply = call(request);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((builder, failure) -> failure == null ? builder.setId(id).build()
                : Replies.failure(id, failure, describe(request)));
    }

    private CompletableFuture<Response.Builder> call(Request request) {
        return switch (request.getBodyCase()) {
            case GET -> request.getGet().getWithVersion()
                    ? handler.getVersioned(request.getGet().getKey().toByteArray(), Consistency.DEFAULT)
                            .thenApply(value -> Response.newBuilder().setValue(toVersionedValue(value)))
                    : handler.get(request.getGet().getKey().toByteArray(), Consistency.DEFAULT)
                            .thenApply(value -> Response.newBuilder().setValue(toValue(value)));
            case GET_MANY -> {
                List<byte[]> keys = new ArrayList<>(request.getGetMany().getKeysCount());
                for (ByteString key : request.getGetMany().getKeysList()) {
                    keys.add(key.toByteArray());
                }
                yield handler.getAll(keys, Consistency.DEFAULT).thenApply(values -> {
                    Values.Builder out = Values.newBuilder();
                    for (Optional<byte[]> value : values) {
                        out.addValues(toValue(value));
                    }
                    return Response.newBuilder().setValues(out);
                });
            }
            case PUT -> request.getPut().getTtlMillis() == 0
                    ? handler.put(request.getPut().getKey().toByteArray(), request.getPut().getValue().toByteArray())
                            .thenApply(ignored -> OK.clone())
                    : handler.write(toBatch(List.of(BulkEntry.newBuilder().setPut(request.getPut()).build())))
                            .thenApply(ignored -> OK.clone());
            case INCREMENT -> handler.update(request.getIncrement().getKey().toByteArray(),
                            Counter.add(request.getIncrement().getDelta()))
                    .thenApply(result -> Response.newBuilder().setCounter(CounterValue.newBuilder()
                            .setValue(Counter.valueOf(result))));
            case RANGE -> {
                var range = request.getRange();
                if (range.getLimit() < 1) {
                    throw new ModkvException(ErrorCode.INVALID_REQUEST, "a range needs a limit of at least 1");
                }
                yield handler.range(new KeyRange(range.getStart().toByteArray(), range.getEnd().toByteArray(),
                        range.getLimit(), range.getKeysOnly())).thenApply(RequestDispatcher::toRangePage);
            }
            case FLUSH_ALL -> handler.deleteAll()
                    .thenApply(deleted -> Response.newBuilder().setFlushed(Flushed.newBuilder().setDeleted(deleted)));
            case EXPIRE -> {
                var expire = request.getExpire();
                if (!expire.getPersist() && expire.getTtlMillis() < 1) {
                    throw new ModkvException(ErrorCode.INVALID_REQUEST, "an expire needs ttl_millis of at least 1, "
                            + "or persist");
                }
                long now = System.currentTimeMillis();
                yield handler.update(expire.getKey().toByteArray(), expire.getPersist() ? Expiry.persist()
                                : Expiry.at(expiresAt(expire.getTtlMillis()), now))
                        .thenApply(result -> Response.newBuilder().setWritten(Written.newBuilder()
                                .setApplied(result.change().kind() != KeyChange.Kind.NONE).setVersion(result.version())));
            }
            case TXN -> handler.writeIf(new ConditionalWrite(toConditions(request.getTxn().getComparesList()),
                            toBatch(request.getTxn().getEntriesList())))
                    .thenApply(outcome -> Response.newBuilder().setWritten(Written.newBuilder()
                            .setApplied(outcome.applied()).setVersion(outcome.version())));
            case DELETE -> handler.delete(request.getDelete().getKey().toByteArray())
                    .thenApply(existed -> Response.newBuilder().setDeleted(Deleted.newBuilder().setExisted(existed)));
            case BULK -> handler.write(toBatch(request.getBulk().getEntriesList())).thenApply(ignored -> OK.clone());
            case QUERY -> {
                var query = request.getQuery();
                yield handler.query(query.getIndex(), toIndexQuery(query),
                        query.getStale() ? Freshness.STALE : Freshness.FRESH).thenApply(RequestDispatcher::toHits);
            }
            case STATS -> CompletableFuture.completedFuture(Response.newBuilder().setStats(stats()));
            case PING -> CompletableFuture.completedFuture(Response.newBuilder()
                    .setPong(Pong.newBuilder().setPayload(request.getPing().getPayload())));
            case HELLO, BODY_NOT_SET -> throw new IllegalStateException("the session answers " + request.getBodyCase());
        };
    }

    /**
     * The index query a {@code Query} asks; a binary {@code value} becomes the one argument,
     * decoded latin1, with {@code value.encoding=latin1} (docs/design/search-commands.md).
     */
    static IndexQuery toIndexQuery(Query query) {
        if (!query.hasValue()) {
            return new IndexQuery(query.getOperation(), query.getArgumentsList(), query.getOptionsMap());
        }
        if (query.getArgumentsCount() > 0) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "a query with a binary value takes no other "
                    + "arguments; got " + query.getArgumentsCount());
        }
        Map<String, String> options = new HashMap<>(query.getOptionsMap());
        options.put(VALUE_ENCODING, "latin1");
        return new IndexQuery(query.getOperation(),
                List.of(new String(query.getValue().toByteArray(), StandardCharsets.ISO_8859_1)), options);
    }

    private static WriteBatch toBatch(List<BulkEntry> entries) {
        int bytes = 0;
        for (BulkEntry entry : entries) {
            bytes += entry.getSerializedSize();
        }
        WriteBatch batch = new WriteBatch(bytes + entries.size() * WriteBatch.ENTRY_HEADER_BYTES);
        for (int i = 0; i < entries.size(); i++) {
            BulkEntry entry = entries.get(i);
            switch (entry.getOpCase()) {
                case PUT -> {
                    Put put = entry.getPut();
                    if (put.getTtlMillis() == 0) {
                        batch.put(put.getKey().toByteArray(), put.getValue().toByteArray());
                    } else {
                        batch.put(put.getKey().toByteArray(), put.getValue().toByteArray(),
                                ConditionalWrite.expiring(expiresAt(put.getTtlMillis())));
                    }
                }
                case DELETE -> batch.delete(entry.getDelete().getKey().toByteArray());
                case OP_NOT_SET -> throw new ModkvException(ErrorCode.INVALID_REQUEST,
                        "bulk entry " + i + " is neither a put nor a delete; nothing was written");
            }
        }
        return batch;
    }

    /** Absolute expiry of a TTL counted from now on this node's wall clock (docs/design/kv-api.md). */
    private static long expiresAt(long ttlMillis) {
        if (ttlMillis < 0 || ttlMillis > Long.MAX_VALUE / 2) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "ttl_millis " + Long.toUnsignedString(ttlMillis)
                    + " is out of range");
        }
        return System.currentTimeMillis() + ttlMillis;
    }

    private static List<Condition> toConditions(List<Compare> compares) {
        List<Condition> conditions = new ArrayList<>(compares.size());
        for (int i = 0; i < compares.size(); i++) {
            Compare compare = compares.get(i);
            byte[] key = compare.getKey().toByteArray();
            conditions.add(switch (compare.getKind()) {
                case ABSENT -> Condition.absent(key);
                case PRESENT -> Condition.present(key);
                case VERSION_EQUALS -> {
                    if (compare.getVersion() < 0) {
                        throw new ModkvException(ErrorCode.INVALID_REQUEST, "compare " + i + ": version "
                                + Long.toUnsignedString(compare.getVersion()) + " is out of range");
                    }
                    yield Condition.versionEquals(key, compare.getVersion());
                }
                case COMPARE_KIND_UNSPECIFIED, UNRECOGNIZED -> throw new ModkvException(ErrorCode.INVALID_REQUEST,
                        "compare " + i + " has no kind; allowed: ABSENT, PRESENT, VERSION_EQUALS; nothing was written");
            });
        }
        return conditions;
    }

    private static Response.Builder toRangePage(KeyPage page) {
        RangePage.Builder out = RangePage.newBuilder().setMore(page.more());
        if (page.more()) {
            out.setNext(ByteString.copyFrom(page.next()));
        }
        for (KeyEntry entry : page.entries()) {
            out.addEntries(RangeEntry.newBuilder().setKey(ByteString.copyFrom(entry.key()))
                    .setValue(ByteString.copyFrom(entry.value())).setVersion(entry.version())
                    .setExpiresAtMillis(entry.expiresAtMillis()));
        }
        return Response.newBuilder().setRangePage(out);
    }

    private static Value toVersionedValue(Optional<VersionedValue> value) {
        return value.map(v -> Value.newBuilder().setFound(true).setValue(ByteString.copyFrom(v.value()))
                        .setVersion(v.version()).setExpiresAtMillis(v.expiresAtMillis()).build())
                .orElse(Value.getDefaultInstance());
    }

    private StatsReply stats() {
        StatsReply.Builder reply = StatsReply.newBuilder();
        Map<String, Map<String, Object>> sections = handler.stats();
        for (Map.Entry<String, Map<String, Object>> section : sections.entrySet()) {
            reply.addSections(toSection(section.getKey(), section.getValue()));
        }
        if (!sections.containsKey("tcp")) { // a kernel shows Transport.stats() itself
            reply.addSections(toSection("tcp", transportStats.get()));
        }
        return reply.build();
    }

    private static StatsSection toSection(String name, Map<String, Object> entries) {
        StatsSection.Builder section = StatsSection.newBuilder().setName(name);
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            section.addEntries(StatsEntry.newBuilder().setName(entry.getKey())
                    .setValue(String.valueOf(entry.getValue())));
        }
        return section.build();
    }

    private static Value toValue(Optional<byte[]> value) {
        return value.map(v -> Value.newBuilder().setFound(true).setValue(ByteString.copyFrom(v)).build())
                .orElse(Value.getDefaultInstance());
    }

    private static Response.Builder toHits(IndexResult result) {
        Hits.Builder hits = Hits.newBuilder().setTotal(result.totalHits());
        for (ScoredKey key : result.hits()) {
            hits.addHits(Hit.newBuilder().setKey(ByteString.copyFrom(key.key())).setScore(key.score()));
        }
        return Response.newBuilder().setHits(hits);
    }

    /** The request kind, for error messages and logs. */
    static String describe(Request request) {
        return switch (request.getBodyCase()) {
            case QUERY -> "query " + request.getQuery().getIndex() + "/" + request.getQuery().getOperation();
            default -> request.getBodyCase().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
