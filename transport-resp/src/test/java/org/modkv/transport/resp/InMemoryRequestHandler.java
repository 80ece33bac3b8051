package org.modkv.transport.resp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.NodeStatus;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.RequestLimits;

/**
 * A real, in-memory {@link RequestHandler} for transport tests: a concurrent map of keys to
 * values, a word index answering {@code fulltext} {@code search} (exact word match) and
 * {@code findvalue}, and a word-overlap {@code tfidf} {@code similar}.
 *
 * <p>Test controls: {@link #parkReads} makes GET/MGET futures wait until the test releases
 * them (in any order, from the test thread), to drive out-of-order completion and back-pressure;
 * {@link #failNext} makes the next request fail with a given kernel error.
 */
final class InMemoryRequestHandler implements RequestHandler {
    static final RequestLimits LIMITS = new RequestLimits(65_536, 8 << 20, 12 << 20, 100_000);

    private final String nodeId;
    private final ConcurrentHashMap<ByteBuffer, byte[]> data = new ConcurrentHashMap<>();
    private final List<Runnable> parked = new ArrayList<>();
    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger mostOutstanding = new AtomicInteger();
    private volatile boolean parkReads;
    private volatile java.util.concurrent.Executor readExecutor;
    private volatile boolean runsTfidf = true;
    private volatile ReplicationStatus replication = new ReplicationStatus(ReplicationRole.STANDALONE, Optional.empty(), Map.of());
    private volatile ModkvException failNext;
    private volatile boolean holdPutsUntilEndOfBurst;
    private volatile java.util.concurrent.Executor putExecutor;
    private volatile Runnable onPut = () -> { };
    private final java.util.Queue<Runnable> heldPuts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final List<String> endOfBurstThreads = java.util.Collections.synchronizedList(new ArrayList<>());

    InMemoryRequestHandler(String nodeId) {
        this.nodeId = nodeId;
    }

    // ---------------------------------------------------------------- test controls

    /**
     * Completes puts only when the transport calls {@link #endOfBurst()}, as storage does when
     * it commits on the event loop at the end of a pass.
     */
    void holdPutsUntilEndOfBurst(boolean hold) {
        holdPutsUntilEndOfBurst = hold;
    }

    /**
     * Completes puts on {@code executor}'s threads ({@code null}: at once), as storage's commit
     * thread does, so that completions race the event loop.
     */
    void completePutsOn(java.util.concurrent.Executor executor) {
        putExecutor = executor;
    }

    /** Runs {@code action} on the thread of every later put (an event loop), before the put. */
    void onPut(Runnable action) {
        onPut = action;
    }

    /** The threads that called {@link #endOfBurst()}, one entry per call. */
    List<String> endOfBurstThreads() {
        synchronized (endOfBurstThreads) {
            return List.copyOf(endOfBurstThreads);
        }
    }

    @Override
    public void endOfBurst() {
        endOfBurstThreads.add(Thread.currentThread().getName());
        Runnable held;
        while ((held = heldPuts.poll()) != null) {
            held.run();
        }
    }

    /** Completes reads on {@code executor}'s threads, so completions race each other. */
    void completeReadsOn(java.util.concurrent.Executor executor) {
        readExecutor = executor;
    }

    void parkReads(boolean park) {
        parkReads = park;
    }

    /** Reads waiting for {@link #releaseParked}. */
    int parkedCount() {
        synchronized (parked) {
            return parked.size();
        }
    }

    /** Completes every parked read, newest first (the opposite of request order). */
    int releaseParkedNewestFirst() {
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
    int mostOutstanding() {
        return mostOutstanding.get();
    }

    void failNext(ErrorCode code, String message) {
        failNext = code == ErrorCode.NOT_LEADER ? new org.modkv.api.NotLeaderException("n2", message)
                : new ModkvException(code, message);
    }

    void runsTfidf(boolean runs) {
        runsTfidf = runs;
    }

    void replication(ReplicationStatus status) {
        replication = status;
    }

    /** Forgets every key. */
    void clear() {
        data.clear();
    }

    /** Atomic batches written through {@link #write}. */
    int batches() {
        return batches.get();
    }

    // ---------------------------------------------------------------- RequestHandler

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key, Consistency consistency) {
        return read(() -> value(key));
    }

    @Override
    public CompletableFuture<List<Optional<byte[]>>> getAll(List<byte[]> keys, Consistency consistency) {
        return read(() -> keys.stream().map(this::value).toList());
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        onPut.run();
        ModkvException failure = takeFailure();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (value.length > LIMITS.maxValueBytes()) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.TOO_LARGE, "value of " + value.length
                    + " bytes exceeds node.max.value.bytes=" + LIMITS.maxValueBytes()));
        }
        data.put(ByteBuffer.wrap(key.clone()), value.clone());
        if (holdPutsUntilEndOfBurst) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            heldPuts.add(() -> done.complete(null));
            return done;
        }
        java.util.concurrent.Executor executor = putExecutor;
        if (executor != null) {
            return CompletableFuture.runAsync(() -> { }, executor);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> delete(byte[] key) {
        ModkvException failure = takeFailure();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        return CompletableFuture.completedFuture(data.remove(ByteBuffer.wrap(key)) != null);
    }

    @Override
    public CompletableFuture<Void> write(WriteBatch batch) {
        ModkvException failure = takeFailure();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        WriteBatch copy = batch.copy();
        synchronized (data) { // all of the batch or none of it, as one step
            copy.forEach((type, buffer, ko, kl, vo, vl, mo, ml) -> {
                ByteBuffer key = ByteBuffer.wrap(Arrays.copyOfRange(buffer, ko, ko + kl));
                if (type == MutationType.PUT) {
                    data.put(key, Arrays.copyOfRange(buffer, vo, vo + vl));
                } else {
                    data.remove(key);
                }
            });
        }
        batches.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<ScoredKey>> query(String indexName, IndexQuery query) {
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
            case "fulltext/findvalue" -> findValue(query.arguments().get(0));
            case "tfidf/similar" -> similar(query.arguments().get(0),
                    Integer.parseInt(query.options().getOrDefault("top", "10")),
                    Double.parseDouble(query.options().getOrDefault("min", "0")));
            default -> null;
        };
        if (hits == null) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.INVALID_REQUEST,
                    "index " + indexName + " has no operation '" + query.operation() + "'"));
        }
        return CompletableFuture.completedFuture(hits);
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
        return LIMITS;
    }

    // ---------------------------------------------------------------- internals

    private interface Read<T> {
        T run();
    }

    private <T> CompletableFuture<T> read(Read<T> read) {
        ModkvException failure = takeFailure();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        java.util.concurrent.Executor executor = readExecutor;
        if (executor != null) {
            return CompletableFuture.supplyAsync(read::run, executor);
        }
        if (!parkReads) {
            return CompletableFuture.completedFuture(read.run());
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        int now = outstanding.incrementAndGet();
        mostOutstanding.accumulateAndGet(now, Math::max);
        synchronized (parked) {
            parked.add(() -> {
                outstanding.decrementAndGet();
                future.complete(read.run());
            });
        }
        return future;
    }

    private ModkvException takeFailure() {
        ModkvException failure = failNext;
        failNext = null;
        return failure;
    }

    private Optional<byte[]> value(byte[] key) {
        byte[] value = data.get(ByteBuffer.wrap(key));
        return Optional.ofNullable(value == null ? null : value.clone());
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

    private List<ScoredKey> findValue(String value) {
        byte[] wanted = value.getBytes(StandardCharsets.UTF_8);
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
