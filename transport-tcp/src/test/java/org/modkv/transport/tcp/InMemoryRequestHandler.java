package org.modkv.transport.tcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.NotLeaderException;
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
 * A whole (single-node, in-memory) request handler for transport tests: a map guarded by one
 * lock so that batches are atomic, a toy word index named {@code fulltext}, and the kernel's
 * size limits. Special keys exercise the paths a transport must map:
 * {@code redirect:*} fails with NOT_LEADER (leader {@code n2}), {@code crash:*} fails with a
 * plain RuntimeException, and {@code hold:*} gets are answered only by {@link #releaseHeld()}.
 */
final class InMemoryRequestHandler implements RequestHandler {
    static final RequestLimits LIMITS = new RequestLimits(256, 64 * 1024, 256 * 1024, 100);

    private final Map<ByteBuffer, byte[]> data = new LinkedHashMap<>();
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private final AtomicLong writes = new AtomicLong();
    private final Map<String, Integer> heldCount = new ConcurrentHashMap<>();
    private volatile boolean holdWritesUntilEndOfBurst;
    private final java.util.Queue<Runnable> heldWrites = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final List<String> endOfBurstThreads = new CopyOnWriteArrayList<>();
    private volatile Runnable onPut = () -> { };

    /**
     * Completes writes only when the transport calls {@link #endOfBurst()}, as storage does when
     * it commits on the event loop at the end of a pass.
     */
    void holdWritesUntilEndOfBurst(boolean hold) {
        holdWritesUntilEndOfBurst = hold;
    }

    /** Runs {@code action} on the thread of every later put (an event loop), before the put. */
    void onPut(Runnable action) {
        onPut = action;
    }

    /** The threads that called {@link #endOfBurst()}, one entry per call. */
    List<String> endOfBurstThreads() {
        return List.copyOf(endOfBurstThreads);
    }

    @Override
    public void endOfBurst() {
        endOfBurstThreads.add(Thread.currentThread().getName());
        Runnable next;
        while ((next = heldWrites.poll()) != null) {
            next.run();
        }
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key, Consistency consistency) {
        String text = new String(key, StandardCharsets.UTF_8);
        if (text.startsWith("hold:")) {
            CompletableFuture<Optional<byte[]>> later = new CompletableFuture<>();
            held.add(() -> later.complete(read(key)));
            heldCount.merge("get", 1, Integer::sum);
            return later;
        }
        if (text.startsWith("crash:")) {
            throw new IllegalStateException("simulated bug for " + text);
        }
        return CompletableFuture.completedFuture(read(key));
    }

    /** Number of held gets waiting. */
    int heldGets() {
        return heldCount.getOrDefault("get", 0);
    }

    /** Answers every held get. */
    void releaseHeld() {
        for (Runnable r : held) {
            r.run();
        }
        held.clear();
        heldCount.clear();
    }

    private synchronized Optional<byte[]> read(byte[] key) {
        byte[] value = data.get(ByteBuffer.wrap(key));
        return Optional.ofNullable(value).map(byte[]::clone);
    }

    @Override
    public CompletableFuture<List<Optional<byte[]>>> getAll(List<byte[]> keys, Consistency consistency) {
        List<Optional<byte[]>> out = new ArrayList<>();
        for (byte[] key : keys) {
            out.add(read(key));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        onPut.run();
        return write(new WriteBatch().put(key, value));
    }

    @Override
    public synchronized CompletableFuture<Boolean> delete(byte[] key) {
        checkKey(key);
        writes.incrementAndGet();
        return CompletableFuture.completedFuture(data.remove(ByteBuffer.wrap(key.clone())) != null);
    }

    @Override
    public synchronized CompletableFuture<Void> write(WriteBatch batch) {
        if (batch.size() > LIMITS.maxBatchEntries()) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.TOO_LARGE, "batch of " + batch.size()
                    + " entries exceeds node.max.batch.entries=" + LIMITS.maxBatchEntries()));
        }
        var mutations = batch.mutations();
        for (var m : mutations) {
            String key = new String(m.key(), StandardCharsets.UTF_8);
            if (key.startsWith("redirect:")) {
                return CompletableFuture.failedFuture(new NotLeaderException("n2", "this node is not the leader; the leader is n2"));
            }
            checkKey(m.key());
            if (m.value().length > LIMITS.maxValueBytes()) {
                return CompletableFuture.failedFuture(new ModkvException(ErrorCode.TOO_LARGE, "value of "
                        + m.value().length + " bytes exceeds node.max.value.bytes=" + LIMITS.maxValueBytes()));
            }
        }
        for (var m : mutations) {
            if (m.type() == MutationType.PUT) {
                data.put(ByteBuffer.wrap(m.key()), m.value());
            } else {
                data.remove(ByteBuffer.wrap(m.key()));
            }
        }
        writes.incrementAndGet();
        if (holdWritesUntilEndOfBurst) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            heldWrites.add(() -> done.complete(null));
            return done;
        }
        return CompletableFuture.completedFuture(null);
    }

    private static void checkKey(byte[] key) {
        if (key.length == 0 || key.length > LIMITS.maxKeyBytes()) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "key of " + key.length
                    + " bytes is not allowed; keys are 1.." + LIMITS.maxKeyBytes() + " bytes");
        }
    }

    @Override
    public synchronized CompletableFuture<List<ScoredKey>> query(String indexName, IndexQuery query) {
        if (!indexName.equals("fulltext")) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.NO_SUCH_INDEX,
                    "no index '" + indexName + "'; this node runs: fulltext"));
        }
        if (!query.operation().equals("search")) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.INVALID_REQUEST,
                    "fulltext does not know operation '" + query.operation() + "'; use search"));
        }
        boolean any = query.options().getOrDefault("mode", "all").equals("any");
        List<ScoredKey> hits = new ArrayList<>();
        for (var entry : data.entrySet()) {
            List<String> words = List.of(new String(entry.getValue(), StandardCharsets.UTF_8)
                    .toLowerCase(Locale.ROOT).split("\\W+"));
            long matched = query.arguments().stream().filter(w -> words.contains(w.toLowerCase(Locale.ROOT))).count();
            if (any ? matched > 0 : matched == query.arguments().size()) {
                byte[] key = new byte[entry.getKey().remaining()];
                entry.getKey().duplicate().get(key);
                hits.add(new ScoredKey(key, (double) matched / query.arguments().size()));
            }
        }
        return CompletableFuture.completedFuture(hits);
    }

    @Override
    public synchronized NodeStatus status() {
        return new NodeStatus("test-node", new ReplicationStatus(ReplicationRole.STANDALONE, Optional.empty(), Map.of()),
                data.size());
    }

    @Override
    public synchronized Map<String, Map<String, Object>> stats() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        out.put("node", Map.of("id", "test-node"));
        out.put("storage", Map.of("keys", data.size(), "writes", writes.get()));
        return out;
    }

    @Override
    public RequestLimits limits() {
        return LIMITS;
    }
}
