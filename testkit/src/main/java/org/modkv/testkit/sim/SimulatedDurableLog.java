package org.modkv.testkit.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.DurableLog;

/**
 * An in-memory {@link DurableLog} driven by a {@link Simulation}, with the semantics of the
 * {@code wal} engine's durable log: both pass {@link org.modkv.testkit.storage.DurableLogContract}.
 *
 * <ul>
 *   <li>{@link #append} copies the entry and gives it index {@link #lastIndex()} + 1 at once;
 *       the entry is readable immediately. Its future completes with the index, as an event,
 *       after a random simulated fsync delay ({@link #fsyncDelay}, 0.1–2 ms by default);
 *       futures complete in index order. When an append's future completes, that entry and
 *       every earlier one are durable.</li>
 *   <li>{@link #read} returns a copy; an index outside {@link #firstIndex()}..{@link #lastIndex()}
 *       throws {@link IllegalArgumentException}.</li>
 *   <li>{@link #truncateSuffix}{@code (from)} removes entries {@code >= from} (nothing when
 *       {@code from > lastIndex()}; {@link IllegalArgumentException} when
 *       {@code from < firstIndex()}). {@link #truncatePrefix}{@code (before)} makes
 *       {@code firstIndex() == before} (nothing when {@code before <= firstIndex()}); past the end
 *       it empties the log and sets {@code lastIndex() = before - 1}, so the next append gets
 *       index {@code before}.</li>
 *   <li><b>Truncations are barriers</b>, as in the {@code wal} engine where they run between two
 *       group commits: every append made before a truncation becomes durable before it takes
 *       effect, and the truncation itself is durable when it returns. The futures of those appends
 *       then complete successfully, with their index, in the events right after, even the
 *       futures of appends that a {@code truncateSuffix} removed: such a future only says that
 *       the entry was durable at that index once, not that it still is.</li>
 *   <li>{@link #close()} is a barrier too (pending futures still complete, as events); after it
 *       every method but {@code close}, {@code firstIndex} and {@code lastIndex} fails with
 *       {@link ErrorCode#SHUTTING_DOWN} ({@code append} with a failed future).</li>
 *   <li>After its node {@link Simulation#crash crashed}, pending futures never complete,
 *       appends fail with {@code SHUTTING_DOWN} and truncations throw it; reads still work, to
 *       inspect what the dead node held in memory. {@link #crashCopy()} gives what a restarted
 *       node finds: the durable prefix.</li>
 * </ul>
 *
 * <p>Use it from the simulation's thread only: unlike {@link DurableLog}'s other
 * implementations it is not thread-safe, as nothing in a deterministic simulation is.
 */
public final class SimulatedDurableLog implements DurableLog {
    static final long DEFAULT_MIN_FSYNC = TimeUnit.MICROSECONDS.toNanos(100);
    static final long DEFAULT_MAX_FSYNC = TimeUnit.MILLISECONDS.toNanos(2);

    private final State state;
    private boolean closed;

    /** An empty log (first index 1) named {@code name} on node {@code nodeId}. */
    public SimulatedDurableLog(Simulation sim, String nodeId, String name) {
        this(new State(sim, nodeId, name, 1, List.of()));
    }

    private SimulatedDurableLog(State state) {
        this.state = state;
    }

    @Override
    public CompletableFuture<Long> append(byte[] entry) {
        Objects.requireNonNull(entry, "entry");
        byte[] copy = entry.clone();
        State s = state;
        s.sim.checkThread("append to durable log " + s.name);
        try {
            ensureUsable();
        } catch (ModkvException e) {
            return CompletableFuture.failedFuture(e);
        }
        s.entries.add(copy);
        PendingAppend pending = new PendingAppend(lastIndex());
        long at = Math.max(s.sim.nowNanos() + s.sim.uniform(s.minFsync, s.maxFsync), s.lastCompletionAt);
        s.lastCompletionAt = at;
        s.pending.add(pending);
        pending.event = s.sim.schedule(at, s.nodeId, () -> "fsync log " + s.name + " #" + pending.index, s::alive,
                () -> s.complete(pending));
        return pending.future;
    }

    @Override
    public byte[] read(long index) {
        State s = state;
        s.sim.checkThread("read of durable log " + s.name);
        ensureOpen();
        if (index < s.firstIndex || index > lastIndex()) {
            throw new IllegalArgumentException("durable log " + s.name + " holds entries " + s.firstIndex + ".."
                    + lastIndex() + ", not " + index);
        }
        return s.entries.get((int) (index - s.firstIndex)).clone();
    }

    @Override
    public long firstIndex() {
        return state.firstIndex;
    }

    @Override
    public long lastIndex() {
        return state.firstIndex + state.entries.size() - 1;
    }

    /**
     * The index of the last durable entry: entries up to here survive a crash. Between
     * {@code firstIndex() - 1} and {@link #lastIndex()}.
     */
    public long durableIndex() {
        return state.durableLast;
    }

    /** The log's name. */
    public String name() {
        return state.name;
    }

    /** The node the log belongs to. */
    public String nodeId() {
        return state.nodeId;
    }

    @Override
    public void truncateSuffix(long fromIndex) {
        State s = state;
        s.sim.checkThread("truncateSuffix of durable log " + s.name);
        ensureUsable();
        if (fromIndex < s.firstIndex) {
            throw new IllegalArgumentException("durable log " + s.name + " cannot truncate from " + fromIndex
                    + ": entries before " + s.firstIndex + " are already gone");
        }
        if (fromIndex > lastIndex()) {
            return;
        }
        s.barrier();
        int keep = (int) (fromIndex - s.firstIndex);
        s.entries.subList(keep, s.entries.size()).clear();
        s.durableLast = Math.min(s.durableLast, fromIndex - 1);
        s.sim.traceLine(s.nodeId, () -> "truncateSuffix log " + s.name + " from " + fromIndex);
    }

    @Override
    public void truncatePrefix(long beforeIndex) {
        State s = state;
        s.sim.checkThread("truncatePrefix of durable log " + s.name);
        ensureUsable();
        if (beforeIndex <= s.firstIndex) {
            return;
        }
        s.barrier();
        if (beforeIndex > lastIndex() + 1) {
            s.entries.clear();
        } else {
            s.entries.subList(0, (int) (beforeIndex - s.firstIndex)).clear();
        }
        s.firstIndex = beforeIndex;
        s.durableLast = Math.max(s.durableLast, beforeIndex - 1);
        s.sim.traceLine(s.nodeId, () -> "truncatePrefix log " + s.name + " before " + beforeIndex);
    }

    /**
     * Sets the range of the simulated fsync delay of later appends (uniform; default 0.1–2 ms).
     */
    public void fsyncDelay(Duration min, Duration max) {
        long lo = min.toNanos();
        long hi = max.toNanos();
        if (lo < 0 || hi < lo) {
            throw new IllegalArgumentException("need 0 <= min <= max, got min=" + min + " max=" + max);
        }
        state.minFsync = lo;
        state.maxFsync = hi;
    }

    /**
     * What a node restarted after a crash finds: a new log, bound to the node's current
     * incarnation, holding the same first index and the durable entries only
     * ({@link #durableIndex()}). It may be taken more than once.
     *
     * @throws IllegalStateException if the node has not {@link Simulation#crash crashed} since
     *     the log was created
     */
    public SimulatedDurableLog crashCopy() {
        return crashCopy(false);
    }

    /**
     * Like {@link #crashCopy()}; with {@code keepSomeUnsynced}, a random number (from the
     * simulation's random, possibly none or all) of the appended but not yet durable entries
     * survive too, as when the OS wrote them out before the crash without being asked to.
     */
    public SimulatedDurableLog crashCopy(boolean keepSomeUnsynced) {
        State s = state;
        s.sim.checkThread("crashCopy of durable log " + s.name);
        if (s.alive()) {
            throw new IllegalStateException("node " + s.nodeId + " has not crashed: call Simulation.crash(\"" + s.nodeId
                    + "\") before taking what a restarted node finds");
        }
        long last = s.durableLast;
        if (keepSomeUnsynced) {
            last += s.sim.uniform(0, lastIndex() - last);
        }
        List<byte[]> kept = new ArrayList<>(s.entries.subList(0, (int) (last - s.firstIndex + 1)));
        SimulatedDurableLog copy = new SimulatedDurableLog(new State(s.sim, s.nodeId, s.name, s.firstIndex, kept));
        copy.state.minFsync = s.minFsync;
        copy.state.maxFsync = s.maxFsync;
        return copy;
    }

    /** Makes every append durable (their futures complete in the next events), then closes. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (state.alive()) {
            state.barrier();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "SimulatedDurableLog(" + state.nodeId + "/" + state.name + ", " + firstIndex() + ".." + lastIndex()
                + ", durable to " + durableIndex() + ")";
    }

    // ------------------------------------------------------------------ package-private

    /** A new handle on the same entries, for a log opened again after {@link #close()}. */
    SimulatedDurableLog reopen() {
        return new SimulatedDurableLog(state);
    }

    boolean alive() {
        return state.alive();
    }

    void setFsyncDelayNanos(long min, long max) {
        state.minFsync = min;
        state.maxFsync = max;
    }

    // ------------------------------------------------------------------ internals

    private void ensureOpen() {
        if (closed) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "durable log " + state.name + " is closed");
        }
    }

    private void ensureUsable() {
        ensureOpen();
        if (!state.alive()) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "durable log " + state.name + " of node " + state.nodeId
                    + " is gone: the node crashed (restart it on crashCopy())");
        }
    }

    private static final class PendingAppend {
        final long index;
        final CompletableFuture<Long> future = new CompletableFuture<>();
        Simulation.Event event;
        boolean durable;

        PendingAppend(long index) {
            this.index = index;
        }
    }

    /** The log's content, shared by the handles {@link #reopen()} gives out. */
    private static final class State {
        final Simulation sim;
        final String nodeId;
        final String name;
        final long generation;
        final ArrayList<byte[]> entries;
        final ArrayDeque<PendingAppend> pending = new ArrayDeque<>();
        long firstIndex;
        long durableLast;
        long lastCompletionAt;
        long minFsync = DEFAULT_MIN_FSYNC;
        long maxFsync = DEFAULT_MAX_FSYNC;

        State(Simulation sim, String nodeId, String name, long firstIndex, List<byte[]> entries) {
            this.sim = Objects.requireNonNull(sim, "sim");
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            this.name = Objects.requireNonNull(name, "name");
            if (firstIndex < 1) {
                throw new IllegalArgumentException("first index starts at 1, got " + firstIndex);
            }
            this.generation = sim.generation(nodeId);
            this.firstIndex = firstIndex;
            this.entries = new ArrayList<>(entries);
            this.durableLast = firstIndex + entries.size() - 1;
        }

        boolean alive() {
            return !sim.crashedSince(nodeId, generation);
        }

        /** An append's fsync finished (or, after a barrier, its notification is due). */
        void complete(PendingAppend append) {
            PendingAppend head = pending.poll();
            if (head != append) {
                throw new IllegalStateException("durable log " + name + ": completion of #" + append.index
                        + " out of order (expected #" + (head == null ? "none" : head.index) + ")");
            }
            if (!append.durable) {
                append.durable = true;
                durableLast = Math.max(durableLast, append.index);
            }
            append.future.complete(append.index);
        }

        /** Makes every pending append durable now; their futures complete in the next events, in order. */
        void barrier() {
            if (pending.isEmpty()) {
                return;
            }
            durableLast = Math.max(durableLast, firstIndex + entries.size() - 1);
            long now = sim.nowNanos();
            for (PendingAppend append : pending) {
                append.durable = true;
                append.event.cancel();
                append.event = sim.schedule(now, nodeId, () -> "durable log " + name + " #" + append.index
                        + " (made durable by a barrier)", this::alive, () -> complete(append));
            }
            lastCompletionAt = now;
        }
    }
}
