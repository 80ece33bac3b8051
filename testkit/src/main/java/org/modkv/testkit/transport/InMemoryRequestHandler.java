package org.modkv.testkit.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.NotLeaderException;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.KeyPage;
import org.modkv.api.kv.KeyPages;
import org.modkv.api.kv.KeyRange;
import org.modkv.api.kv.KeyUpdate;
import org.modkv.api.kv.KeyUpdates;
import org.modkv.api.kv.UpdateResult;
import org.modkv.api.kv.RecordHeader;
import org.modkv.api.kv.VersionedValue;
import org.modkv.api.kv.WriteDecider;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.Mutation;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.api.transport.NodeStatus;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.RequestLimits;

/**
 * A real, in-memory {@link RequestHandler} for transport tests, standing in for the kernel: a
 * map of keys to values (a batch applies atomically), the kernel's size limits, a word index
 * answering {@code fulltext} {@code search} (every word, or any with option
 * {@code mode=any}) and {@code findvalue}, and a word-overlap {@code tfidf} {@code similar}.
 * Hits come best first, then by key.
 *
 * <p>Like the kernel it refuses writes past its {@link RequestLimits} ({@code TOO_LARGE}, with
 * the kernel's wording) and takes empty keys and values.
 *
 * <p>Test controls, all thread-safe: {@link #parkReads} makes reads wait until the test
 * releases them, {@link #completeReadsOn} / {@link #completeWritesOn} complete futures on
 * other threads, {@link #holdWritesUntilEndOfBurst} completes writes only when the transport
 * calls {@link #endOfBurst} (as storage does when it commits on the event loop),
 * {@link #failNext} fails the next request with a kernel error and {@link #throwNext} makes it
 * throw (a kernel bug).
 */
public final class InMemoryRequestHandler implements RequestHandler {
    /** Limits as large as the node's defaults. */
    public static final RequestLimits DEFAULT_LIMITS = new RequestLimits(65_536, 8 << 20, 12 << 20, 100_000);

    private final String nodeId;
    private final RequestLimits limits;
    private final ConcurrentHashMap<ByteBuffer, byte[]> data = new ConcurrentHashMap<>();
    /** Each key's metadata as the decider stamped it (version, expiry). Guarded by {@code data}. */
    private final Map<ByteBuffer, byte[]> metadata = new java.util.HashMap<>();
    private final WriteDecider decider = new WriteDecider(this::record);
    private long revision;
    private final KeyUpdates updates = new KeyUpdates(key -> getVersioned(key, Consistency.DEFAULT), this::writeIf);
    private final List<Runnable> parked = new ArrayList<>();
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger mostOutstanding = new AtomicInteger();
    private final Queue<Runnable> heldWrites = new ConcurrentLinkedQueue<>();
    private final List<String> endOfBurstThreads = Collections.synchronizedList(new ArrayList<>());
    private final List<EventLoopFsync> endOfBurstFsyncs = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean parkReads;
    private volatile Executor readExecutor;
    private volatile Executor writeExecutor;
    private volatile boolean holdWritesUntilEndOfBurst;
    private volatile boolean runsTfidf = true;
    private volatile ReplicationStatus replication =
            new ReplicationStatus(ReplicationRole.STANDALONE, Optional.empty(), Map.of());
    private volatile ModkvException failNext;
    private volatile Freshness lastFreshness;
    private volatile Runnable onPut = () -> { };
    private volatile IndexQuery lastQuery;
    private volatile RuntimeException throwNext;

    /** A handler for node {@code nodeId} with the {@link #DEFAULT_LIMITS}. */
    public InMemoryRequestHandler(String nodeId) {
        this(nodeId, DEFAULT_LIMITS);
    }

    /** A handler for node {@code nodeId} enforcing {@code limits}. */
    public InMemoryRequestHandler(String nodeId, RequestLimits limits) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    // ---------------------------------------------------------------- test controls

    /**
     * Completes writes (put, delete, batch) only when the transport calls {@link #endOfBurst},
     * as storage does when it commits on the event loop at the end of a pass.
     */
    public void holdWritesUntilEndOfBurst(boolean hold) {
        holdWritesUntilEndOfBurst = hold;
    }

    /**
     * Completes writes on {@code executor}'s threads ({@code null}: at once), as storage's
     * commit thread does, so that completions race the event loop.
     */
    public void completeWritesOn(Executor executor) {
        writeExecutor = executor;
    }

    /** Completes reads on {@code executor}'s threads ({@code null}: at once), so completions race each other. */
    public void completeReadsOn(Executor executor) {
        readExecutor = executor;
    }

    /** The threads that called {@link #endOfBurst}, one entry per call. */
    public List<String> endOfBurstThreads() {
        synchronized (endOfBurstThreads) {
            return List.copyOf(endOfBurstThreads);
        }
    }

    /** Runs {@code action} on the thread of every later put (an event loop), before the put. */
    public void onPut(Runnable action) {
        onPut = Objects.requireNonNull(action, "action");
    }

    /** The event loops' fsyncs those calls carried, in the same order. */
    public List<EventLoopFsync> endOfBurstFsyncs() {
        synchronized (endOfBurstFsyncs) {
            return List.copyOf(endOfBurstFsyncs);
        }
    }

    /** While on, reads (get, getAll) wait until {@link #releaseParkedNewestFirst()}. */
    public void parkReads(boolean park) {
        parkReads = park;
    }

    /** Reads waiting for {@link #releaseParkedNewestFirst()}. */
    public int parkedCount() {
        synchronized (parked) {
            return parked.size();
        }
    }

    /** Completes every parked read, newest first (the opposite of request order); returns how many. */
    public int releaseParkedNewestFirst() {
        List<Runnable> release;
        synchronized (parked) {
            release = new ArrayList<>(parked);
            parked.clear();
        }
        for (int i = release.size() - 1; i >= 0; i--) {
            release.get(i).run();
        }
        return release.size();
    }

    /** The most reads that ever waited at once. */
    public int mostOutstanding() {
        return mostOutstanding.get();
    }

    /**
     * Fails the next request with {@code code} and {@code message} (a {@link NotLeaderException}
     * naming leader {@code n2} for {@link ErrorCode#NOT_LEADER}).
     */
    public void failNext(ErrorCode code, String message) {
        failNext = code == ErrorCode.NOT_LEADER ? new NotLeaderException("n2", message) : new ModkvException(code, message);
    }

    /** Makes the next request throw {@code bug} instead of returning a future, as a kernel bug would. */
    public void throwNext(RuntimeException bug) {
        throwNext = Objects.requireNonNull(bug, "bug");
    }

    /** Whether a {@code tfidf} index runs beside {@code fulltext} (default: yes). */
    public void runsTfidf(boolean runs) {
        runsTfidf = runs;
    }

    /** What {@link #status()} and {@link #stats()} say about replication. */
    public void replication(ReplicationStatus status) {
        replication = Objects.requireNonNull(status, "status");
    }

    /** Forgets every key. */
    public void clear() {
        synchronized (data) {
            data.clear();
            metadata.clear();
        }
    }

    /** The value stored under {@code key}, read directly (no request, no control applies). */
    public Optional<byte[]> stored(byte[] key) {
        return value(key);
    }

    /** Atomic batches applied through {@link #write}. */
    public int batches() {
        return batches.get();
    }

    // ---------------------------------------------------------------- RequestHandler

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key, Consistency consistency) {
        return read(() -> value(key));
    }

    @Override
    public CompletableFuture<Optional<VersionedValue>> getVersioned(byte[] key, Consistency consistency) {
        return read(() -> record(key).map(r -> {
            RecordHeader header = RecordHeader.of(r);
            return new VersionedValue(r.value(), header.version(), header.expiresAtMillis());
        }));
    }

    @Override
    public CompletableFuture<WriteOutcome> writeIf(ConditionalWrite write) {
        ModkvException failure = takeFailure();
        if (failure == null) {
            failure = violation(write.batch());
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        WriteOutcome outcome;
        synchronized (data) {
            outcome = decideAndApply(write);
        }
        return CompletableFuture.completedFuture(outcome);
    }

    /** A page from a sorted copy of the keys (a test double: the kernel keeps an ordered directory). */
    @Override
    public CompletableFuture<KeyPage> range(KeyRange range) {
        return read(() -> {
            java.util.TreeSet<byte[]> sorted = new java.util.TreeSet<>(Arrays::compareUnsigned);
            synchronized (data) {
                data.keySet().forEach(key -> sorted.add(key.array().clone()));
            }
            try {
                return KeyPages.collect(range, sorted.tailSet(range.start(), true).iterator(), this::record,
                        System.currentTimeMillis());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Override
    public CompletableFuture<Long> deleteAll() {
        return KeyPages.deleteAll(this::range, this::write, limits.maxBatchEntries());
    }

    @Override
    public CompletableFuture<UpdateResult> update(byte[] key, KeyUpdate update) {
        return updates.run(key, update);
    }

    @Override
    public CompletableFuture<List<Optional<byte[]>>> getAll(List<byte[]> keys, Consistency consistency) {
        return read(() -> keys.stream().map(this::value).toList());
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        onPut.run();
        return apply(new WriteBatch().put(key, value), false).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Boolean> delete(byte[] key) {
        return apply(new WriteBatch().delete(key), false);
    }

    /** Decides {@code write} as the kernel's replication does and applies it; call holding {@code data}. */
    private WriteOutcome decideAndApply(ConditionalWrite write) {
        long version = revision + 1;
        WriteBatch decided;
        try {
            decided = decider.decide(write, version, System.currentTimeMillis());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (decided == null) {
            return WriteOutcome.NOT_APPLIED;
        }
        revision = version;
        for (Mutation m : decided.mutations()) {
            ByteBuffer key = ByteBuffer.wrap(m.key().clone());
            if (m.type() == MutationType.PUT) {
                data.put(key, m.value().clone());
                metadata.put(key, m.metadata());
            } else {
                data.remove(key);
                metadata.remove(key);
            }
        }
        decider.completed(version);
        return new WriteOutcome(true, version, version);
    }

    @Override
    public CompletableFuture<Void> write(WriteBatch batch) {
        return apply(batch.copy(), true).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<IndexResult> query(String indexName, IndexQuery query, Freshness freshness) {
        ModkvException failure = takeFailure();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        boolean known = indexName.equals("fulltext") || (indexName.equals("tfidf") && runsTfidf);
        if (!known) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.NO_SUCH_INDEX,
                    "no such index '" + indexName + "'; indexes running: fulltext" + (runsTfidf ? ", tfidf" : "")));
        }
        List<ScoredKey> hits = switch (indexName + "/" + query.operation()) {
            case "fulltext/search" -> search(query.arguments(), "any".equals(query.options().get("mode")));
            case "fulltext/findvalue" -> findValue(query.arguments().get(0), query.options().get("value.encoding"));
            case "tfidf/similar" -> similar(query.arguments().get(0),
                    Integer.parseInt(query.options().getOrDefault("top", "10")),
                    Double.parseDouble(query.options().getOrDefault("min", "0")));
            default -> null;
        };
        if (hits == null) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.INVALID_REQUEST,
                    "index " + indexName + " has no operation '" + query.operation() + "'"));
        }
        lastFreshness = freshness;
        lastQuery = query;
        int offset = Integer.parseInt(query.options().getOrDefault(IndexQuery.OFFSET, "0"));
        int limit = Integer.parseInt(query.options().getOrDefault(IndexQuery.LIMIT, String.valueOf(Integer.MAX_VALUE)));
        List<ScoredKey> page = hits.subList(Math.min(offset, hits.size()),
                (int) Math.min(hits.size(), (long) offset + limit));
        return CompletableFuture.completedFuture(new IndexResult(page, hits.size()));
    }

    /** The last query an index answered, as the transport built it, or null before the first. */
    public IndexQuery lastQuery() {
        return lastQuery;
    }

    /** The freshness the last query asked for, or null before the first. */
    public Freshness lastFreshness() {
        return lastFreshness;
    }

    @Override
    public NodeStatus status() {
        return new NodeStatus(nodeId, replication, data.size());
    }

    @Override
    public Map<String, Map<String, Object>> stats() {
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        sections.put("server", Map.of("node_id", nodeId, "uptime_seconds", 7L));
        Map<String, Object> replicationSection = new LinkedHashMap<>();
        replicationSection.put("role", replication.role().label());
        replication.leaderId().ifPresent(leader -> replicationSection.put("leader_id", leader));
        replicationSection.putAll(replication.details());
        sections.put("replication", replicationSection);
        sections.put("storage", Map.of("engine", "memory"));
        sections.put("requests", Map.of("batches", batches.get()));
        sections.put("keyspace", Map.of("keys", (long) data.size()));
        return sections;
    }

    @Override
    public RequestLimits limits() {
        return limits;
    }

    @Override
    public void endOfBurst(EventLoopFsync loopFsync) {
        endOfBurstThreads.add(Thread.currentThread().getName());
        endOfBurstFsyncs.add(loopFsync);
        Runnable held;
        while ((held = heldWrites.poll()) != null) {
            held.run();
        }
    }

    // ---------------------------------------------------------------- internals

    private <T> CompletableFuture<T> read(Supplier<T> read) {
        ModkvException failure = takeFailure();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Executor executor = readExecutor;
        if (executor != null) {
            return CompletableFuture.supplyAsync(read, executor);
        }
        if (!parkReads) {
            return CompletableFuture.completedFuture(read.get());
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        int now = outstanding.incrementAndGet();
        mostOutstanding.accumulateAndGet(now, Math::max);
        synchronized (parked) {
            parked.add(() -> {
                outstanding.decrementAndGet();
                future.complete(read.get());
            });
        }
        return future;
    }

    /** Checks and applies {@code batch} as one step; completes with whether its single delete removed a key. */
    private CompletableFuture<Boolean> apply(WriteBatch batch, boolean countAsBatch) {
        ModkvException failure = takeFailure();
        if (failure == null) {
            failure = violation(batch);
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        boolean removed = false;
        synchronized (data) {
            if (batch.size() == 1 && batch.mutations().get(0).type() == MutationType.DELETE) {
                byte[] key = batch.mutations().get(0).key();
                removed = decideAndApply(new ConditionalWrite(List.of(Condition.present(key)), batch)).applied();
            } else {
                decideAndApply(ConditionalWrite.unconditional(batch));
            }
        }
        if (countAsBatch) {
            batches.incrementAndGet();
        }
        boolean outcome = removed;
        if (holdWritesUntilEndOfBurst) {
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            heldWrites.add(() -> done.complete(outcome));
            return done;
        }
        Executor executor = writeExecutor;
        if (executor != null) {
            return CompletableFuture.supplyAsync(() -> outcome, executor);
        }
        return CompletableFuture.completedFuture(outcome);
    }

    /** What is wrong with {@code batch} under the limits, worded as the kernel words it, or null. */
    private ModkvException violation(WriteBatch batch) {
        if (batch.isEmpty()) {
            return new ModkvException(ErrorCode.INVALID_REQUEST, "a write needs at least one key");
        }
        if (batch.size() > limits.maxBatchEntries()) {
            return new ModkvException(ErrorCode.TOO_LARGE, "batch of " + batch.size()
                    + " entries exceeds node.max.batch.entries=" + limits.maxBatchEntries());
        }
        for (Mutation m : batch.mutations()) {
            if (m.key().length > limits.maxKeyBytes()) {
                return new ModkvException(ErrorCode.TOO_LARGE, "key of " + m.key().length
                        + " bytes exceeds node.max.key.bytes=" + limits.maxKeyBytes());
            }
            if (m.type() == MutationType.PUT && m.value().length > limits.maxValueBytes()) {
                return new ModkvException(ErrorCode.TOO_LARGE, "value of " + m.value().length
                        + " bytes exceeds node.max.value.bytes=" + limits.maxValueBytes());
            }
        }
        if (batch.encodedLength() > limits.maxBatchBytes()) {
            return new ModkvException(ErrorCode.TOO_LARGE, "batch of " + batch.encodedLength()
                    + " bytes exceeds node.max.batch.bytes=" + limits.maxBatchBytes());
        }
        return null;
    }

    private ModkvException takeFailure() {
        RuntimeException bug = throwNext;
        if (bug != null) {
            throwNext = null;
            throw bug;
        }
        ModkvException failure = failNext;
        failNext = null;
        return failure;
    }

    private Optional<byte[]> value(byte[] key) {
        return record(key).map(StoredRecord::value);
    }

    /** The key's value and metadata, unless absent or expired. */
    private Optional<StoredRecord> record(byte[] key) {
        synchronized (data) {
            ByteBuffer wrapped = ByteBuffer.wrap(key);
            byte[] value = data.get(wrapped);
            if (value == null) {
                return Optional.empty();
            }
            byte[] meta = metadata.getOrDefault(wrapped, new byte[0]);
            if (RecordHeader.expired(meta, System.currentTimeMillis())) {
                return Optional.empty();
            }
            return Optional.of(new StoredRecord(key.clone(), value.clone(), meta));
        }
    }

    private List<ScoredKey> search(List<String> words, boolean any) {
        Set<String> wanted = new HashSet<>();
        words.forEach(w -> wanted.addAll(words(w)));
        return sortedHits(entry -> {
            Set<String> have = words(new String(entry.getValue(), StandardCharsets.UTF_8));
            boolean match = any ? wanted.stream().anyMatch(have::contains) : have.containsAll(wanted);
            return match ? 1.0 : 0.0;
        }, Integer.MAX_VALUE, Double.MIN_VALUE);
    }

    /** The value's bytes: the argument's latin1 chars with {@code value.encoding=latin1}, else its UTF-8. */
    private List<ScoredKey> findValue(String value, String encoding) {
        byte[] wanted = "latin1".equals(encoding) ? value.getBytes(StandardCharsets.ISO_8859_1)
                : value.getBytes(StandardCharsets.UTF_8);
        return sortedHits(entry -> Arrays.equals(entry.getValue(), wanted) ? 1.0 : 0.0, Integer.MAX_VALUE,
                Double.MIN_VALUE);
    }

    /** Score: the share of the query's distinct words the value holds. */
    private List<ScoredKey> similar(String text, int top, double min) {
        Set<String> wanted = words(text);
        return sortedHits(entry -> {
            Set<String> have = words(new String(entry.getValue(), StandardCharsets.UTF_8));
            long shared = wanted.stream().filter(have::contains).count();
            return wanted.isEmpty() ? 0.0 : (double) shared / wanted.size();
        }, top, Math.max(min, Double.MIN_VALUE));
    }

    private interface Scorer {
        double score(Map.Entry<ByteBuffer, byte[]> entry);
    }

    /** Hits scoring at least {@code min}, best first, then by key. */
    private List<ScoredKey> sortedHits(Scorer scorer, int top, double min) {
        List<ScoredKey> hits = new ArrayList<>();
        for (Map.Entry<ByteBuffer, byte[]> entry : data.entrySet()) {
            double score = scorer.score(entry);
            if (score >= min) {
                hits.add(new ScoredKey(entry.getKey().array().clone(), score));
            }
        }
        hits.sort(Comparator.comparingDouble(ScoredKey::score).reversed()
                .thenComparing(ScoredKey::key, Arrays::compare));
        return hits.size() > top ? List.copyOf(hits.subList(0, top)) : hits;
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
