package org.modkv.client;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.modkv.protocol.wire.Bulk;
import org.modkv.protocol.wire.BulkEntry;
import org.modkv.protocol.wire.Delete;
import org.modkv.protocol.wire.Expire;
import org.modkv.protocol.wire.FlushAll;
import org.modkv.protocol.wire.Get;
import org.modkv.protocol.wire.GetMany;
import org.modkv.protocol.wire.Hit;
import org.modkv.protocol.wire.Increment;
import org.modkv.protocol.wire.Ping;
import org.modkv.protocol.wire.Put;
import org.modkv.protocol.wire.Query;
import org.modkv.protocol.wire.Range;
import org.modkv.protocol.wire.RangeEntry;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;
import org.modkv.protocol.wire.Stats;
import org.modkv.protocol.wire.StatsEntry;
import org.modkv.protocol.wire.StatsSection;
import org.modkv.protocol.wire.Value;

/**
 * A client of a modkv node's {@code tcp} transport, over one or more connections.
 *
 * <p><b>Threading.</b> Thread-safe: any number of threads may share one client. Requests are
 * pipelined on a connection and matched to replies by id, so async calls do not wait for
 * each other. By default a client has one connection and one I/O thread;
 * {@link ClientOptions#withConnections} gives it several connections to the same node, served
 * by a few shared I/O threads, and requests take turns over them. The futures of the
 * {@code *Async} methods complete on the client's I/O threads: do not block in their callbacks
 * (a synchronous call made from such a callback fails with {@link IllegalStateException}
 * instead of deadlocking).
 *
 * <p><b>Errors.</b> Every failure is a {@link ModkvClientException}: thrown by the
 * synchronous methods, and the cause of the exceptional completion of the async ones. Its
 * {@link ModkvClientException#code() code} says why. When a connection is lost, its pending
 * requests fail with {@code UNAVAILABLE} (the client does not send them again: a write may have
 * been applied) and later requests take the client's other connections.
 *
 * <p><b>Failover.</b> Once every connection is lost, the next request reconnects: it tries the
 * other addresses of the options first, in order, and the one it lost last, and goes to the
 * first that takes all the connections. Any node of a Raft cluster serves any request, so a
 * client given the cluster's addresses rides through the loss of its node. A request made on
 * one of the client's I/O threads (in a callback) does not wait for a reconnect: it fails with
 * {@code UNAVAILABLE}, as does every request within {@value #RECONNECT_BACKOFF_MS} ms after a
 * reconnect that found no address.
 *
 * <p><b>Ownership.</b> Byte arrays passed in are copied before the call returns; arrays
 * returned belong to the caller.
 */
public final class ModkvClient implements AutoCloseable {
    /** After a reconnect that found no address, requests fail at once for this long. */
    static final long RECONNECT_BACKOFF_MS = FailoverConnections.RECONNECT_BACKOFF_MS;

    private final FailoverConnections connections;
    private final ClientOptions options;

    private ModkvClient(FailoverConnections connections) {
        this.connections = connections;
        this.options = connections.options();
    }

    /**
     * Connects to {@code hostPort} ({@code "127.0.0.1:7379"}, or several separated by commas)
     * with {@link ClientOptions#defaults default options}.
     *
     * @throws ModkvClientException {@code UNAVAILABLE} if no address can be reached, or the
     *     server's refusal (e.g. {@code OVERLOADED}, {@code UNSUPPORTED_PROTOCOL_VERSION})
     * @throws IllegalArgumentException if {@code hostPort} is not {@code host:port}
     */
    public static ModkvClient connect(String hostPort) {
        return connect(ClientOptions.defaults(hostPort));
    }

    /**
     * Connects to the first of {@code options.addresses()} that accepts all of
     * {@code options.connections()} connections and their handshakes, trying them in order.
     *
     * @throws ModkvClientException if none does; the message lists why each failed, the code
     *     is that of the last failure
     * @throws IllegalArgumentException if {@code options.ioTransport()} names an I/O backend
     *     this machine cannot run, saying why
     */
    public static ModkvClient connect(ClientOptions options) {
        return new ModkvClient(FailoverConnections.open(Objects.requireNonNull(options, "options")));
    }

    // ------------------------------------------------------------------ get

    /** The value of {@code key}, or empty if there is none. */
    public Optional<byte[]> get(byte[] key) {
        return await(getAsync(key));
    }

    /** The value of the UTF-8 {@code key}, decoded as UTF-8, or empty if there is none. */
    public Optional<String> get(String key) {
        return get(utf8(key)).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    public CompletableFuture<Optional<byte[]>> getAsync(byte[] key) {
        Request.Builder request = Request.newBuilder().setGet(Get.newBuilder().setKey(bytes(key, "key")));
        return call(request, Response.BodyCase.VALUE).thenApply(r -> toOptional(r.getValue()));
    }

    /** Values of {@code keys}, in the order asked, each empty if absent. */
    public List<Optional<byte[]>> getMany(List<byte[]> keys) {
        return await(getManyAsync(keys));
    }

    public CompletableFuture<List<Optional<byte[]>>> getManyAsync(List<byte[]> keys) {
        GetMany.Builder body = GetMany.newBuilder();
        for (byte[] key : keys) {
            body.addKeys(bytes(key, "key"));
        }
        int asked = keys.size();
        return call(Request.newBuilder().setGetMany(body), Response.BodyCase.VALUES).thenApply(r -> {
            List<Value> values = r.getValues().getValuesList();
            if (values.size() != asked) {
                throw new ModkvClientException("PROTOCOL", "asked for " + asked + " keys, got " + values.size() + " values");
            }
            List<Optional<byte[]>> out = new ArrayList<>(asked);
            for (Value value : values) {
                out.add(toOptional(value));
            }
            return Collections.unmodifiableList(out);
        });
    }

    // ------------------------------------------------------------------ writes

    /** Stores {@code value} under {@code key}; returns once the node reports it durable. */
    public void put(byte[] key, byte[] value) {
        await(putAsync(key, value));
    }

    /** {@link #put(byte[], byte[])} with UTF-8 text. */
    public void put(String key, String value) {
        put(utf8(key), utf8(value));
    }

    public CompletableFuture<Void> putAsync(byte[] key, byte[] value) {
        return putAsync(key, value, Duration.ZERO);
    }

    /** Stores {@code value} under {@code key}, expiring {@code ttl} after the server receives it. */
    public void put(byte[] key, byte[] value, Duration ttl) {
        await(putAsync(key, value, ttl));
    }

    public CompletableFuture<Void> putAsync(byte[] key, byte[] value, Duration ttl) {
        return call(Request.newBuilder().setPut(putMessage(key, value, ttl)), Response.BodyCase.OK).thenApply(r -> null);
    }

    static Put.Builder putMessage(byte[] key, byte[] value, Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("a TTL is zero (never expires) or positive, not " + ttl);
        }
        return Put.newBuilder().setKey(bytes(key, "key")).setValue(bytes(value, "value")).setTtlMillis(ttl.toMillis());
    }

    /** The value of {@code key} with its version and expiry, or empty if there is none. */
    public Optional<VersionedEntry> getVersioned(byte[] key) {
        return await(getVersionedAsync(key));
    }

    public CompletableFuture<Optional<VersionedEntry>> getVersionedAsync(byte[] key) {
        Request.Builder request = Request.newBuilder().setGet(Get.newBuilder().setKey(bytes(key, "key"))
                .setWithVersion(true));
        return call(request, Response.BodyCase.VALUE).thenApply(r -> {
            Value value = r.getValue();
            return value.getFound() ? Optional.of(new VersionedEntry(value.getValue().toByteArray(),
                    value.getVersion(), value.getExpiresAtMillis())) : Optional.empty();
        });
    }

    /**
     * Adds {@code delta} to the integer counter at {@code key} (absent counts as 0), atomically
     * and durably; returns the new value.
     *
     * @throws ModkvClientException {@code INVALID_REQUEST} "value is not an integer or out of
     *     range" when the value is not a 64-bit decimal integer (nothing is written)
     */
    public long increment(byte[] key, long delta) {
        return await(incrementAsync(key, delta));
    }

    public CompletableFuture<Long> incrementAsync(byte[] key, long delta) {
        Request.Builder request = Request.newBuilder().setIncrement(Increment.newBuilder()
                .setKey(bytes(key, "key")).setDelta(delta));
        return call(request, Response.BodyCase.COUNTER).thenApply(r -> r.getCounter().getValue());
    }

    /**
     * A page of the keys {@code >= start} and {@code < end} (empty: no end) in unsigned byte order,
     * at most {@code limit}; continue with {@code range(page.next().get(), end, limit, keysOnly)}
     * while {@code next} is present. A key never comes twice in one pass, whatever is written
     * meanwhile.
     */
    public KeyPage range(byte[] start, byte[] end, int limit, boolean keysOnly) {
        return await(rangeAsync(start, end, limit, keysOnly));
    }

    public CompletableFuture<KeyPage> rangeAsync(byte[] start, byte[] end, int limit, boolean keysOnly) {
        if (limit < 1) {
            throw new IllegalArgumentException("a range limit is at least 1, not " + limit);
        }
        Request.Builder request = Request.newBuilder().setRange(Range.newBuilder().setStart(bytes(start, "start"))
                .setEnd(bytes(end, "end")).setLimit(limit).setKeysOnly(keysOnly));
        return call(request, Response.BodyCase.RANGE_PAGE).thenApply(r -> {
            List<KeyPage.Entry> entries = new ArrayList<>(r.getRangePage().getEntriesCount());
            for (RangeEntry entry : r.getRangePage().getEntriesList()) {
                entries.add(new KeyPage.Entry(entry.getKey().toByteArray(), entry.getValue().toByteArray(),
                        entry.getVersion(), entry.getExpiresAtMillis()));
            }
            return new KeyPage(entries, r.getRangePage().getMore()
                    ? Optional.of(r.getRangePage().getNext().toByteArray()) : Optional.empty());
        });
    }

    /** The end of the keys that start with {@code prefix}, for {@link #range} (empty: none). */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = java.util.Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[0];
    }

    /** Makes a present {@code key} expire {@code ttl} from now, keeping its value; {@code false} if absent. */
    public boolean expire(byte[] key, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a TTL is positive, not " + ttl);
        }
        return await(expireAsync(Expire.newBuilder().setKey(bytes(key, "key")).setTtlMillis(Math.max(1, ttl.toMillis()))));
    }

    /** Removes {@code key}'s expiry; {@code false} if it is absent or has none. */
    public boolean persist(byte[] key) {
        return await(expireAsync(Expire.newBuilder().setKey(bytes(key, "key")).setPersist(true)));
    }

    private CompletableFuture<Boolean> expireAsync(Expire.Builder expire) {
        return call(Request.newBuilder().setExpire(expire), Response.BodyCase.WRITTEN)
                .thenApply(r -> r.getWritten().getApplied());
    }

    /** Deletes every key on the cluster (FLUSHALL); returns how many were deleted. */
    public long deleteAll() {
        return await(deleteAllAsync());
    }

    public CompletableFuture<Long> deleteAllAsync() {
        return call(Request.newBuilder().setFlushAll(FlushAll.getDefaultInstance()), Response.BodyCase.FLUSHED)
                .thenApply(r -> r.getFlushed().getDeleted());
    }

    /** A conditional write to build and {@link Txn#commit() commit}. */
    public Txn txn() {
        return new Txn(request -> call(request, Response.BodyCase.WRITTEN), this::await);
    }

    /** Stores {@code value} only if {@code key} is absent; {@code true} if it did (Redis SETNX). */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        return txn().ifAbsent(key).put(key, value).commit().applied();
    }

    /** Stores {@code value} only if {@code key} has {@code expectedVersion}; {@code true} if it did. */
    public boolean compareAndSet(byte[] key, long expectedVersion, byte[] value) {
        return txn().ifVersion(key, expectedVersion).put(key, value).commit().applied();
    }

    /** Removes {@code key}; {@code true} if it was present. */
    public boolean delete(byte[] key) {
        return await(deleteAsync(key));
    }

    /** {@link #delete(byte[])} with a UTF-8 key. */
    public boolean delete(String key) {
        return delete(utf8(key));
    }

    public CompletableFuture<Boolean> deleteAsync(byte[] key) {
        Request.Builder request = Request.newBuilder().setDelete(Delete.newBuilder().setKey(bytes(key, "key")));
        return call(request, Response.BodyCase.DELETED).thenApply(r -> r.getDeleted().getExisted());
    }

    /** Stores all {@code entries} atomically: after a failure none of them was applied. */
    public void bulkPut(List<KeyValue> entries) {
        await(bulkPutAsync(entries));
    }

    public CompletableFuture<Void> bulkPutAsync(List<KeyValue> entries) {
        Bulk.Builder bulk = Bulk.newBuilder();
        for (KeyValue entry : entries) {
            bulk.addEntries(BulkEntry.newBuilder().setPut(Put.newBuilder()
                    .setKey(ByteString.copyFrom(entry.key())).setValue(ByteString.copyFrom(entry.value()))));
        }
        return call(Request.newBuilder().setBulk(bulk), Response.BodyCase.OK).thenApply(r -> null);
    }

    // ------------------------------------------------------------------ indexes

    /**
     * Searches the {@code fulltext} index: a page of the keys matching {@code query}, best
     * first, and the total (docs/design/search-commands.md).
     *
     * @throws ModkvClientException {@code INVALID_REQUEST} if the index refuses the query (a
     *     limit above its maximum, for one), {@code INDEX_NOT_READY} if the index cannot answer
     *     fresh now (retry, or ask {@link SearchQuery#withStale stale}), {@code NO_SUCH_INDEX}
     *     if the node runs no {@code fulltext} index
     */
    public SearchResult search(SearchQuery query) {
        return await(searchAsync(query));
    }

    public CompletableFuture<SearchResult> searchAsync(SearchQuery query) {
        Map<String, String> options = paging(query.offset(), query.limit());
        options.put("mode", query.any() ? "any" : "all");
        return pageAsync(Query.newBuilder().setIndex("fulltext").setOperation("search")
                .addArguments(query.text()).putAllOptions(options).setStale(query.stale()));
    }

    /**
     * Keys whose values contain all {@code words} ({@code any=false}) or at least one of them
     * ({@code any=true}), from the {@code fulltext} index, best first: the first page of
     * {@link #search(SearchQuery)} with the words joined by spaces into the query text.
     */
    public List<SearchHit> search(List<String> words, boolean any) {
        return await(searchAsync(words, any));
    }

    public CompletableFuture<List<SearchHit>> searchAsync(List<String> words, boolean any) {
        SearchQuery query = SearchQuery.of(String.join(" ", words));
        return searchAsync(any ? query.anyWord() : query).thenApply(SearchResult::hits);
    }

    /**
     * Asks the {@code tfidf} index for the keys whose values read most like the query's text: a
     * page of them, best first (TF-IDF cosine, ties by key), and as total the number of
     * documents the index scored to answer (it does not score every match; see
     * docs/design/tfidf.md).
     *
     * @throws ModkvClientException {@code INVALID_REQUEST} if the index refuses the query (a top
     *     above {@code tfidf.top.max}, a text with no words), {@code INDEX_NOT_READY},
     *     {@code NO_SUCH_INDEX} if the node runs no {@code tfidf} index
     */
    public SearchResult similar(SimilarQuery query) {
        return await(similarAsync(query));
    }

    public CompletableFuture<SearchResult> similarAsync(SimilarQuery query) {
        Map<String, String> options = paging(query.offset(), query.top());
        if (query.minScore() > 0) {
            options.put("min", Double.toString(query.minScore()));
        }
        return pageAsync(Query.newBuilder().setIndex("tfidf").setOperation("similar")
                .addArguments(query.text()).putAllOptions(options).setStale(query.stale()));
    }

    /**
     * Up to {@code top} keys whose values are most similar to {@code text} with a score of
     * at least {@code minScore}, from the {@code tfidf} index, best first: the hits of
     * {@link #similar(SimilarQuery)}, fresh.
     */
    public List<SearchHit> similar(String text, int top, double minScore) {
        return await(similarAsync(text, top, minScore));
    }

    public CompletableFuture<List<SearchHit>> similarAsync(String text, int top, double minScore) {
        return queryAsync("tfidf", "similar", List.of(text),
                Map.of("top", Integer.toString(top), "min", Double.toString(minScore)));
    }

    /**
     * Keys whose value equals {@code value} exactly, any bytes (text or not), from the
     * {@code fulltext} index: a page of them, by key, and the total.
     *
     * @param offset how many hits to skip (0 or more)
     * @param limit how many to return at most; 0 for the index's default
     * @param stale true to answer from what the node's index holds now, without waiting
     * @throws ModkvClientException as {@link #search(SearchQuery)}
     */
    public SearchResult findValue(byte[] value, int offset, int limit, boolean stale) {
        return await(findValueAsync(value, offset, limit, stale));
    }

    public CompletableFuture<SearchResult> findValueAsync(byte[] value, int offset, int limit, boolean stale) {
        Objects.requireNonNull(value, "value");
        Map<String, String> options = paging(offset, limit);
        return pageAsync(Query.newBuilder().setIndex("fulltext").setOperation("findvalue")
                .setValue(ByteString.copyFrom(value)).putAllOptions(options).setStale(stale));
    }

    /** The first page of {@link #findValue(byte[], int, int, boolean)}, fresh. */
    public List<SearchHit> findValue(byte[] value) {
        return await(findValueAsync(value));
    }

    /** {@link #findValue(byte[])} with a UTF-8 value. */
    public List<SearchHit> findValue(String value) {
        return findValue(utf8(value));
    }

    public CompletableFuture<List<SearchHit>> findValueAsync(byte[] value) {
        return findValueAsync(value, 0, 0, false).thenApply(SearchResult::hits);
    }

    /** The offset and limit options; 0 leaves either to the index (an offset of 0 is its default anyway). */
    private static Map<String, String> paging(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 1 or more (or 0 for the index's default), got " + limit);
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (offset > 0) {
            options.put("offset", Integer.toString(offset));
        }
        if (limit > 0) {
            options.put("limit", Integer.toString(limit));
        }
        return options;
    }

    private CompletableFuture<SearchResult> pageAsync(Query.Builder query) {
        return call(Request.newBuilder().setQuery(query), Response.BodyCase.HITS).thenApply(r -> {
            List<SearchHit> hits = new ArrayList<>(r.getHits().getHitsCount());
            for (Hit hit : r.getHits().getHitsList()) {
                hits.add(new SearchHit(hit.getKey().toByteArray(), hit.getScore()));
            }
            return new SearchResult(hits, r.getHits().getTotal());
        });
    }

    /**
     * Asks any index: {@code index} is the index plugin's name, {@code operation},
     * {@code args} and {@code options} are what that index understands.
     *
     * @throws ModkvClientException {@code NO_SUCH_INDEX} if the node runs no such index, or
     *     {@code INVALID_REQUEST} if the index rejects the query
     */
    public List<SearchHit> query(String index, String operation, List<String> args, Map<String, String> options) {
        return await(queryAsync(index, operation, args, options));
    }

    public CompletableFuture<List<SearchHit>> queryAsync(String index, String operation, List<String> args,
                                                         Map<String, String> options) {
        Query query = Query.newBuilder()
                .setIndex(Objects.requireNonNull(index, "index"))
                .setOperation(Objects.requireNonNull(operation, "operation"))
                .addAllArguments(args)
                .putAllOptions(options)
                .build();
        return call(Request.newBuilder().setQuery(query), Response.BodyCase.HITS).thenApply(r -> {
            List<SearchHit> hits = new ArrayList<>(r.getHits().getHitsCount());
            for (Hit hit : r.getHits().getHitsList()) {
                hits.add(new SearchHit(hit.getKey().toByteArray(), hit.getScore()));
            }
            return Collections.unmodifiableList(hits);
        });
    }

    // ------------------------------------------------------------------ node

    /** The node's figures: section name to (name to value), in the node's order. */
    public Map<String, Map<String, String>> stats() {
        return await(statsAsync());
    }

    public CompletableFuture<Map<String, Map<String, String>>> statsAsync() {
        return call(Request.newBuilder().setStats(Stats.getDefaultInstance()), Response.BodyCase.STATS).thenApply(r -> {
            Map<String, Map<String, String>> sections = new LinkedHashMap<>();
            for (StatsSection section : r.getStats().getSectionsList()) {
                Map<String, String> entries = new LinkedHashMap<>();
                for (StatsEntry entry : section.getEntriesList()) {
                    entries.put(entry.getName(), entry.getValue());
                }
                sections.put(section.getName(), Collections.unmodifiableMap(entries));
            }
            return Collections.unmodifiableMap(sections);
        });
    }

    /** A round trip that touches no data; fails like any request if the node is unreachable. */
    public void ping() {
        await(pingAsync());
    }

    public CompletableFuture<Void> pingAsync() {
        return call(Request.newBuilder().setPing(Ping.getDefaultInstance()), Response.BodyCase.PONG).thenApply(r -> null);
    }

    /** The id of the node this client is connected to, as it said in the handshake. */
    public String serverNodeId() {
        return connections.current().first().hello().getNodeId();
    }

    /** The {@code host:port} this client is connected to (one of the options' addresses). */
    public String serverAddress() {
        return connections.current().first().address().toString();
    }

    /** The Netty channel class of the client's connections (tests check the I/O backend). */
    Class<?> channelType() {
        return connections.current().first().channelType();
    }

    /**
     * How many of the client's connections are still open (a lost one is reopened, with all the
     * others, only once every one is lost).
     */
    public int openConnections() {
        return connections.current().openCount();
    }

    /** The options this client was created with. */
    public ClientOptions options() {
        return options;
    }

    /**
     * Closes the connections and releases the I/O threads. Pending requests fail with
     * {@code CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        connections.close();
    }

    // ------------------------------------------------------------------ plumbing

    private CompletableFuture<Response> call(Request.Builder request, Response.BodyCase expected) {
        ClientConnection connection = connections.pool().next();
        return connection.call(request).thenApply(reply -> {
            if (reply.getBodyCase() != expected) {
                throw new ModkvClientException("PROTOCOL", "expected a " + expected + " reply from "
                        + connection.address() + ", got " + reply.getBodyCase());
            }
            return reply;
        });
    }

    /** Waits for {@code future}; its completion is bounded by the request timeout. */
    private <T> T await(CompletableFuture<T> future) {
        if (connections.current().inEventLoop()) {
            throw new IllegalStateException("a synchronous ModkvClient call from the client's own I/O thread "
                    + "(a callback of an async call) would deadlock; use the *Async method there");
        }
        try {
            // Every call future completes by its reply, its timeout or the connection's loss;
            // the bound here is only a backstop.
            return future.get(2 * options.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw rethrow(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ModkvClientException("TIMEOUT", "no reply from " + serverAddress() + " within "
                    + options.requestTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModkvClientException("INTERRUPTED", "interrupted while waiting for " + serverAddress());
        }
    }

    /** A fresh exception with the caller's stack, keeping the code, message and leader. */
    private static ModkvClientException rethrow(Throwable cause) {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ModkvClientException m) {
            return new ModkvClientException(m.code(), m.getMessage(), m.leaderId().orElse(null), m);
        }
        return new ModkvClientException("INTERNAL", "client failure: " + cause, cause);
    }

    private static Optional<byte[]> toOptional(Value value) {
        return value.getFound() ? Optional.of(value.getValue().toByteArray()) : Optional.empty();
    }

    private static ByteString bytes(byte[] array, String what) {
        return ByteString.copyFrom(Objects.requireNonNull(array, what));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
