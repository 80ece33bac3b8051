package org.modkv.node.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
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
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.Replication;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.time.Clock;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.api.transport.NodeStatus;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.RequestLimits;

/**
 * The kernel's request pipeline: checks limits, then hands reads and writes to replication and
 * queries to the index set. Exists before replication starts (transports need it to bind), and
 * answers {@code UNAVAILABLE} until {@link #serve} is called.
 */
public final class RequestPipeline implements RequestHandler {
    private final String nodeId;
    private final StorageEngine storage;
    private final IndexSet indexes;
    private final RequestLimits limits;
    private final NodeMetrics metrics;
    private final Clock clock;
    private final OrderedKeys orderedKeys;
    private final KeyUpdates updates = new KeyUpdates(key -> getVersioned(key, Consistency.DEFAULT), this::writeIf);
    private final Map<String, Supplier<Map<String, Object>>> extraSections = new ConcurrentHashMap<>();
    private volatile Consumer<Throwable> fatalHandler = failure -> { };
    private volatile Replication replication;
    private volatile boolean shuttingDown;

    /**
     * @param orderedKeys the node's keys in order, for range reads; it must hear replication's commits
     * @param clock the wall clock against which keys expire on read (docs/design/kv-api.md)
     */
    public RequestPipeline(String nodeId, StorageEngine storage, IndexSet indexes, RequestLimits limits,
                           NodeMetrics metrics, OrderedKeys orderedKeys, Clock clock) {
        this.clock = clock;
        this.orderedKeys = orderedKeys;
        this.nodeId = nodeId;
        this.storage = storage;
        this.indexes = indexes;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** Adds a section to {@link #stats()}, e.g. a transport's connection figures. */
    public void addStatsSection(String name, Supplier<Map<String, Object>> section) {
        extraSections.put(name, section);
    }

    /**
     * Who to tell when a write fails with {@link ErrorCode#STORAGE_FAILURE}: the node must stop,
     * because after a failed fsync the page cache can no longer be trusted (docs/design/write-path.md).
     * The handler is called on the thread that completed the write, often a transport's event
     * loop, so it must not block (docs/design/shutdown.md).
     */
    public void onFatal(Consumer<Throwable> handler) {
        this.fatalHandler = handler;
    }

    /** Starts serving requests through {@code replication}. */
    public void serve(Replication replication) {
        this.replication = replication;
    }

    /** Refuses new requests from now on. */
    public void shutDown() {
        shuttingDown = true;
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key, Consistency consistency) {
        try {
            checkKey(key);
            return replication().read(key, consistency).thenApply(record -> live(record).map(StoredRecord::value));
        } catch (ModkvException e) {
            return failed(e);
        }
    }

    @Override
    public CompletableFuture<Optional<VersionedValue>> getVersioned(byte[] key, Consistency consistency) {
        try {
            checkKey(key);
            return replication().read(key, consistency).thenApply(record -> live(record).map(r -> {
                RecordHeader header = RecordHeader.of(r);
                return new VersionedValue(r.value(), header.version(), header.expiresAtMillis());
            }));
        } catch (ModkvException e) {
            return failed(e);
        }
    }

    /** The record unless it has expired (lazy expiry: the sweep deletes it later). */
    private Optional<StoredRecord> live(Optional<StoredRecord> record) {
        if (record.isPresent() && RecordHeader.expired(record.get().metadata(), clock.currentTimeMillis())) {
            return Optional.empty();
        }
        return record;
    }

    @Override
    public CompletableFuture<List<Optional<byte[]>>> getAll(List<byte[]> keys, Consistency consistency) {
        try {
            if (keys.size() > limits.maxBatchEntries()) {
                throw new ModkvException(ErrorCode.TOO_LARGE, "request asks for " + keys.size()
                        + " keys; the limit is node.max.batch.entries=" + limits.maxBatchEntries());
            }
            Replication target = replication();
            List<CompletableFuture<Optional<StoredRecord>>> reads = new ArrayList<>(keys.size());
            for (byte[] key : keys) {
                checkKey(key);
                reads.add(target.read(key, consistency));
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> reads.stream().map(r -> live(r.join()).map(StoredRecord::value)).toList());
        } catch (ModkvException e) {
            return failed(e);
        }
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        return write(new WriteBatch(key.length + value.length + WriteBatch.ENTRY_HEADER_BYTES).put(key, value));
    }

    @Override
    public CompletableFuture<Boolean> delete(byte[] key) {
        try {
            checkKey(key);
            Replication target = replication();
            if (target.decidesConditions()) {
                // Decided with the other writes: true exactly when this delete removed the key.
                return writeIf(new ConditionalWrite(List.of(Condition.present(key)), new WriteBatch().delete(key)))
                        .thenApply(WriteOutcome::applied);
            }
            return target.read(key, Consistency.DEFAULT).thenCompose(existing -> {
                if (live(existing).isEmpty()) {
                    return CompletableFuture.completedFuture(false);
                }
                return target.write(new WriteBatch().delete(key), Consistency.DEFAULT)
                        .whenComplete((sequence, failure) -> checkFatal(failure))
                        .thenApply(sequence -> true);
            });
        } catch (ModkvException e) {
            return failed(e);
        }
    }

    @Override
    public CompletableFuture<Void> write(WriteBatch batch) {
        try {
            checkBatch(batch);
            return replication().write(batch, Consistency.DEFAULT)
                    .whenComplete((sequence, failure) -> checkFatal(failure))
                    .thenApply(sequence -> null);
        } catch (ModkvException e) {
            return failed(e);
        }
    }

    @Override
    public CompletableFuture<WriteOutcome> writeIf(ConditionalWrite write) {
        try {
            checkBatch(write.batch());
            if (write.conditions().size() > limits.maxBatchEntries()) {
                throw new ModkvException(ErrorCode.TOO_LARGE, "write with " + write.conditions().size()
                        + " conditions exceeds node.max.batch.entries=" + limits.maxBatchEntries());
            }
            for (Condition condition : write.conditions()) {
                checkKey(condition.key());
            }
            return replication().writeIf(write, Consistency.DEFAULT)
                    .whenComplete((outcome, failure) -> checkFatal(failure));
        } catch (ModkvException e) {
            return failed(e);
        }
    }

    /**
     * A page of keys in order. Consistency as for reads: after the replication's read barrier
     * (linearizable under Raft), from this node's ordered key directory and storage.
     */
    @Override
    public CompletableFuture<KeyPage> range(KeyRange range) {
        try {
            if (range.limit() > limits.maxBatchEntries()) {
                throw new ModkvException(ErrorCode.TOO_LARGE, "range limit " + range.limit()
                        + " exceeds node.max.batch.entries=" + limits.maxBatchEntries());
            }
            checkKey(range.start());
            checkKey(range.end());
            return replication().readBarrier()
                    .thenCompose(sequence -> orderedKeys.from(range.start()))
                    .thenApply(keys -> {
                        try {
                            return KeyPages.collect(range, keys, storage::get, clock.currentTimeMillis());
                        } catch (java.io.IOException e) {
                            throw ModkvException.fromStorage(e);
                        }
                    });
        } catch (ModkvException e) {
            return failed(e);
        }
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
    public CompletableFuture<IndexResult> query(String indexName, IndexQuery query, Freshness freshness) {
        try {
            Replication target = replication(); // same availability rules as reads
            return indexes.query(indexName, query, freshness, target::readBarrier);
        } catch (ModkvException e) {
            return failed(e);
        }
    }

    @Override
    public NodeStatus status() {
        Replication current = replication;
        ReplicationStatus status = current == null
                ? new ReplicationStatus(org.modkv.api.replication.ReplicationRole.STANDALONE, Optional.empty(), Map.of())
                : current.status();
        return new NodeStatus(nodeId, status, storage.keyCount());
    }

    @Override
    public Map<String, Map<String, Object>> stats() {
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        NodeStatus status = status();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("node_id", nodeId);
        server.put("uptime_seconds", metrics.uptimeSeconds());
        sections.put("server", server);
        Map<String, Object> replicationSection = new LinkedHashMap<>();
        replicationSection.put("role", status.replication().role().label());
        status.replication().leaderId().ifPresent(leader -> replicationSection.put("leader_id", leader));
        replicationSection.putAll(status.replication().details());
        sections.put("replication", replicationSection);
        sections.put("storage", new LinkedHashMap<>(storage.stats()));
        sections.put("indexes", indexes.stats());
        sections.put("requests", metrics.stats());
        new TreeMap<>(extraSections).forEach((name, section) -> sections.put(name, section.get()));
        sections.put("keyspace", Map.of("keys", status.keys()));
        return sections;
    }

    @Override
    public void endOfBurst(EventLoopFsync loopFsync) {
        Replication current = replication;
        if (current != null && !shuttingDown) {
            current.endOfBurst(loopFsync);
        }
    }

    @Override
    public RequestLimits limits() {
        return limits;
    }

    private Replication replication() {
        if (shuttingDown) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "node " + nodeId + " is shutting down");
        }
        Replication current = replication;
        if (current == null) {
            throw new ModkvException(ErrorCode.UNAVAILABLE, "node " + nodeId + " is starting; retry shortly");
        }
        return current;
    }

    private void checkKey(byte[] key) {
        if (key.length > limits.maxKeyBytes()) {
            throw new ModkvException(ErrorCode.TOO_LARGE, "key of " + key.length
                    + " bytes exceeds node.max.key.bytes=" + limits.maxKeyBytes());
        }
    }

    private void checkBatch(WriteBatch batch) {
        if (batch.isEmpty()) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "a write needs at least one key");
        }
        if (batch.size() > limits.maxBatchEntries()) {
            throw new ModkvException(ErrorCode.TOO_LARGE, "batch of " + batch.size()
                    + " entries exceeds node.max.batch.entries=" + limits.maxBatchEntries());
        }
        if (batch.encodedLength() > limits.maxBatchBytes()) {
            throw new ModkvException(ErrorCode.TOO_LARGE, "batch of " + batch.encodedLength()
                    + " bytes exceeds node.max.batch.bytes=" + limits.maxBatchBytes());
        }
        int[] violation = {-1, 0};
        batch.forEach((type, buffer, ko, kl, vo, vl, mo, ml) -> {
            if (violation[0] < 0 && kl > limits.maxKeyBytes()) {
                violation[0] = 0;
                violation[1] = kl;
            } else if (violation[0] < 0 && type == MutationType.PUT && vl > limits.maxValueBytes()) {
                violation[0] = 1;
                violation[1] = vl;
            }
        });
        if (violation[0] == 0) {
            throw new ModkvException(ErrorCode.TOO_LARGE, "key of " + violation[1]
                    + " bytes exceeds node.max.key.bytes=" + limits.maxKeyBytes());
        }
        if (violation[0] == 1) {
            throw new ModkvException(ErrorCode.TOO_LARGE, "value of " + violation[1]
                    + " bytes exceeds node.max.value.bytes=" + limits.maxValueBytes());
        }
    }

    private void checkFatal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ModkvException e && e.code() == ErrorCode.STORAGE_FAILURE) {
            fatalHandler.accept(e);
        }
    }

    private <T> CompletableFuture<T> failed(ModkvException e) {
        metrics.error();
        return CompletableFuture.failedFuture(e);
    }
}
