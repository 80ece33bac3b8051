package org.modkv.testkit.sim;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.CheckpointReader;
import org.modkv.api.storage.DurableLog;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.Mutation;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * An in-memory {@link StorageEngine} driven by a {@link Simulation}, with the
 * {@linkplain #openLog durable-log capability} ({@link SimulatedDurableLog}).
 *
 * <ul>
 *   <li>{@link #offer} copies the batch, gives it the next sequence number (1, 2, 3...) and
 *       applies it at once to an in-memory map sorted by key (bytes compared unsigned): a put
 *       stores value and metadata, a delete removes the key. So a batch is visible to reads as
 *       soon as {@code offer} returns, before it completes. {@code offer} never pushes back
 *       (always {@code true}).</li>
 *   <li>Completions are called as events, in sequence order: a {@link Durability#DURABLE} batch
 *       after a random simulated fsync delay ({@link #fsyncDelay}, 0.1–2 ms by default), a
 *       {@link Durability#VISIBLE} one in the next event, but never before an earlier batch's
 *       completion.</li>
 *   <li>{@link #lastSequence()} is the highest sequence number completed so far.</li>
 *   <li><b>Durability is a prefix</b>, as in a log-structured engine: when a DURABLE batch
 *       completes, it and every earlier batch (VISIBLE ones too) are durable. A VISIBLE batch
 *       with no later completed DURABLE batch is lost in a crash.</li>
 *   <li>{@link #restore} replaces the content at once, durably, as one new sequence number;
 *       {@link #close()} makes every accepted batch durable (completions still fire, as
 *       events) and closes the logs; later offers fail with {@code SHUTTING_DOWN}.</li>
 *   <li>After its node {@link Simulation#crash crashed}, pending completions never fire and
 *       offers fail with {@code SHUTTING_DOWN}; reads still work, to inspect what the dead node
 *       held in memory. {@link #crashCopy()} gives what a restarted node finds.</li>
 * </ul>
 *
 * <p>Use it from the simulation's thread only.
 */
public final class SimulatedStorage implements StorageEngine {

    private final Simulation sim;
    private final String nodeId;
    private final long generation;
    private final TreeMap<byte[], StoredRecord> applied = new TreeMap<>(Arrays::compareUnsigned);
    private final TreeMap<byte[], StoredRecord> durable = new TreeMap<>(Arrays::compareUnsigned);
    /** Accepted batches that are not durable yet, in sequence order. */
    private final ArrayDeque<Batch> notDurable = new ArrayDeque<>();
    private final Map<String, SimulatedDurableLog> logs = new TreeMap<>();
    private long assignedSequence;
    private long completedSequence;
    private long durableSequence;
    private long lastCompletionAt;
    private long minFsync = SimulatedDurableLog.DEFAULT_MIN_FSYNC;
    private long maxFsync = SimulatedDurableLog.DEFAULT_MAX_FSYNC;
    private boolean closed;

    /** An empty engine for node {@code nodeId}, bound to its current incarnation. */
    public SimulatedStorage(Simulation sim, String nodeId) {
        this.sim = Objects.requireNonNull(sim, "sim");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.generation = sim.generation(nodeId);
    }

    /** The node the engine belongs to. */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(completion, "completion");
        sim.checkThread("offer to storage of " + nodeId);
        ensureWritable();
        Batch accepted = new Batch(++assignedSequence, durability, batch.mutations(), completion);
        apply(applied, accepted.mutations);
        notDurable.add(accepted);
        long ready = sim.nowNanos() + (durability == Durability.DURABLE ? sim.uniform(minFsync, maxFsync) : 0);
        long at = Math.max(ready, lastCompletionAt);
        lastCompletionAt = at;
        sim.schedule(at, nodeId, () -> (durability == Durability.DURABLE ? "fsync" : "visible") + " storage #"
                + accepted.sequence, this::alive, () -> complete(accepted));
        return true;
    }

    /** Calls {@link #offer} (which never pushes back); a refusal goes to {@code completion}. */
    @Override
    public void submit(WriteBatch batch, Durability durability, WriteCompletion completion) {
        try {
            offer(batch, durability, completion);
        } catch (RuntimeException e) {
            completion.complete(-1, e);
        }
    }

    /** A copy of the record for {@code key}, if present. */
    @Override
    public Optional<StoredRecord> get(byte[] key) {
        Objects.requireNonNull(key, "key");
        sim.checkThread("get from storage of " + nodeId);
        StoredRecord record = applied.get(key);
        return Optional.ofNullable(record == null ? null : copy(record));
    }

    /** Visits copies of the live records in key order (unsigned); writes made by the visitor are not seen. */
    @Override
    public void scan(Consumer<StoredRecord> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        sim.checkThread("scan of storage of " + nodeId);
        for (StoredRecord record : new ArrayList<>(applied.values())) {
            visitor.accept(copy(record));
        }
    }

    @Override
    public long keyCount() {
        return applied.size();
    }

    @Override
    public long lastSequence() {
        return completedSequence;
    }

    /** The highest sequence number that is durable: batches up to it survive a crash. */
    public long durableSequence() {
        return durableSequence;
    }

    /** Copies of the live records, in key order (unsigned). */
    public List<StoredRecord> records() {
        List<StoredRecord> out = new ArrayList<>(applied.size());
        for (StoredRecord record : applied.values()) {
            out.add(copy(record));
        }
        return out;
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("keys", keyCount());
        stats.put("last_sequence", lastSequence());
        stats.put("durable_sequence", durableSequence);
        stats.put("pending_batches", assignedSequence - completedSequence);
        stats.put("logs", logs.size());
        return stats;
    }

    /**
     * Replaces the whole content with a checkpoint written by {@link #checkpoint}, at once and
     * durably, as one new sequence number (no completion is called for it). Batches accepted
     * before become durable first; their completions still fire.
     */
    @Override
    public void restore(InputStream in) throws IOException {
        sim.checkThread("restore of storage of " + nodeId);
        ensureWritable();
        List<StoredRecord> records = readCheckpoint(in);
        makeDurable(assignedSequence);
        applied.clear();
        for (StoredRecord record : records) {
            applied.put(record.key(), record);
        }
        durable.clear();
        durable.putAll(applied);
        long sequence = ++assignedSequence;
        completedSequence = Math.max(completedSequence, sequence);
        durableSequence = sequence;
        sim.traceLine(nodeId, () -> "restore storage: " + records.size() + " records as #" + sequence);
    }

    /**
     * The node's {@link SimulatedDurableLog} named {@code name}: the same instance on every call
     * until it is closed, a new handle on the same entries after that.
     *
     * @throws ModkvException {@code SHUTTING_DOWN} after the engine was closed or its node crashed
     */
    @Override
    public Optional<DurableLog> openLog(String name) {
        return Optional.of(log(name));
    }

    /** {@link #openLog} without the {@code Optional}, typed for tests. */
    public SimulatedDurableLog log(String name) {
        Objects.requireNonNull(name, "name");
        sim.checkThread("openLog on storage of " + nodeId);
        ensureWritable();
        SimulatedDurableLog log = logs.get(name);
        if (log == null) {
            log = new SimulatedDurableLog(sim, nodeId, name);
            log.setFsyncDelayNanos(minFsync, maxFsync);
            logs.put(name, log);
        } else if (log.isClosed()) {
            log = log.reopen();
            logs.put(name, log);
        }
        return log;
    }

    /**
     * Sets the range of the simulated fsync delay of later DURABLE batches and of the appends of
     * logs opened later (uniform; default 0.1–2 ms).
     */
    public void fsyncDelay(Duration min, Duration max) {
        long lo = min.toNanos();
        long hi = max.toNanos();
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("need 0 <= min <= max, got min=" + min + " max=" + max);
        }
        minFsync = lo;
        maxFsync = hi;
    }

    /**
     * What a node restarted after a crash finds: a new engine bound to the node's current
     * incarnation, holding the durable batches only
     * (up to {@link #durableSequence()}, which is also its {@link #lastSequence()}; later
     * sequence numbers are given out again), with the {@link SimulatedDurableLog#crashCopy()
     * crash copies} of the logs opened on this engine. It may be taken more than once.
     *
     * @throws IllegalStateException if the node has not {@link Simulation#crash crashed} since
     *     this engine was created
     */
    public SimulatedStorage crashCopy() {
        return crashCopy(false);
    }

    /**
     * Like {@link #crashCopy()}; with {@code keepSomeUnsynced}, a random prefix (from the
     * simulation's random, possibly empty or all) of the accepted but not yet durable batches
     * survives too, and likewise for each log, as when the OS wrote them out before the crash.
     */
    public SimulatedStorage crashCopy(boolean keepSomeUnsynced) {
        sim.checkThread("crashCopy of storage of " + nodeId);
        if (alive()) {
            throw new IllegalStateException("node " + nodeId + " has not crashed: call Simulation.crash(\"" + nodeId
                    + "\") before taking what a restarted node finds");
        }
        SimulatedStorage copy = new SimulatedStorage(sim, nodeId);
        copy.minFsync = minFsync;
        copy.maxFsync = maxFsync;
        copy.durable.putAll(durable);
        long sequence = durableSequence;
        if (keepSomeUnsynced) {
            long extra = sim.uniform(0, notDurable.size());
            for (Batch batch : notDurable) {
                if (extra-- <= 0) {
                    break;
                }
                apply(copy.durable, batch.mutations);
                sequence = batch.sequence;
            }
        }
        copy.applied.putAll(copy.durable);
        copy.assignedSequence = sequence;
        copy.completedSequence = sequence;
        copy.durableSequence = sequence;
        for (Map.Entry<String, SimulatedDurableLog> log : logs.entrySet()) {
            copy.logs.put(log.getKey(), log.getValue().crashCopy(keepSomeUnsynced));
        }
        return copy;
    }

    /** Makes every accepted batch durable (completions still fire, as events), closes the logs. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (alive()) {
            makeDurable(assignedSequence);
        }
        for (SimulatedDurableLog log : logs.values()) {
            log.close();
        }
    }

    @Override
    public String toString() {
        return "SimulatedStorage(" + nodeId + ", keys=" + applied.size() + ", last=" + completedSequence + ", durable="
                + durableSequence + ")";
    }

    // ------------------------------------------------------------------ internals

    private boolean alive() {
        return !sim.crashedSince(nodeId, generation);
    }

    private void ensureWritable() {
        if (closed) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "the storage engine of " + nodeId + " is closed");
        }
        if (!alive()) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "the storage engine of " + nodeId
                    + " is gone: the node crashed (restart it on crashCopy())");
        }
    }

    private void complete(Batch batch) {
        if (batch.durability == Durability.DURABLE) {
            makeDurable(batch.sequence);
        }
        completedSequence = Math.max(completedSequence, batch.sequence);
        batch.completion.complete(batch.sequence, null);
    }

    private void makeDurable(long upTo) {
        while (!notDurable.isEmpty() && notDurable.peek().sequence <= upTo) {
            apply(durable, notDurable.poll().mutations);
        }
        durableSequence = Math.max(durableSequence, upTo);
    }

    private static void apply(TreeMap<byte[], StoredRecord> map, List<Mutation> mutations) {
        for (Mutation m : mutations) {
            if (m.type() == MutationType.PUT) {
                map.put(m.key(), new StoredRecord(m.key(), m.value(), m.metadata()));
            } else {
                map.remove(m.key());
            }
        }
    }

    private static StoredRecord copy(StoredRecord record) {
        return new StoredRecord(record.key().clone(), record.value().clone(), record.metadata().clone());
    }

    /** Reads the {@link org.modkv.api.storage.SnapshotFormat} checkpoint encoding. */
    private static List<StoredRecord> readCheckpoint(InputStream in) throws IOException {
        CheckpointReader reader = CheckpointReader.open(in);
        List<StoredRecord> records = new ArrayList<>();
        for (StoredRecord record = reader.next(); record != null; record = reader.next()) {
            records.add(record);
        }
        return records;
    }

    private record Batch(long sequence, Durability durability, List<Mutation> mutations, WriteCompletion completion) {
    }
}
