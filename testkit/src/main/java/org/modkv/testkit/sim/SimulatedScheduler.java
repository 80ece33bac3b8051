package org.modkv.testkit.sim;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Scheduler;

/**
 * A node's {@link Scheduler} in a {@link Simulation}: tasks are events on the simulation's one
 * event loop, so they run one at a time on the test's thread, at virtual times.
 *
 * <ul>
 *   <li>{@link #execute} runs the task at the current virtual time, after every event already
 *       queued for that time;</li>
 *   <li>{@link #schedule} runs it at now + delay (a negative delay counts as 0); tasks due at
 *       the same time run in the order they were submitted;</li>
 *   <li>{@link Cancellable#cancel()} before the task has started means it never runs.</li>
 * </ul>
 *
 * <p>Unlike a real scheduler, a task that throws is not logged and skipped: it makes
 * {@link Simulation#step()} throw an {@link AssertionError} naming the seed and the node, since
 * in a simulation it is a bug to find.
 *
 * <p>Once {@link #halt() halted}, or once its node {@link Simulation#crash crashed}, the
 * scheduler drops its pending tasks and silently ignores new ones, as a dead process would.
 * Use it from the simulation's thread only.
 */
public final class SimulatedScheduler implements Scheduler {
    private static final Cancellable NOTHING = () -> { };
    private static final Supplier<String> TASK = () -> "task";

    private final Simulation sim;
    private final String nodeId;
    private final long generation;
    private boolean halted;

    SimulatedScheduler(Simulation sim, String nodeId, long generation) {
        this.sim = sim;
        this.nodeId = nodeId;
        this.generation = generation;
    }

    /** The node whose tasks this scheduler runs. */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        submit(sim.nowNanos(), task, TASK);
    }

    @Override
    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(task, "task");
        long nanos = Math.max(0, unit.toNanos(delay));
        long at = sim.nowNanos() + nanos;
        if (at < 0) {
            at = Long.MAX_VALUE;
        }
        return submit(at, task, () -> "timer +" + nanos + "ns");
    }

    /** Stops this scheduler for good: pending tasks are dropped, new ones ignored. Idempotent. */
    public void halt() {
        halted = true;
    }

    /** Whether this scheduler was halted or its node crashed since it was created. */
    public boolean halted() {
        return halted || sim.crashedSince(nodeId, generation);
    }

    @Override
    public String toString() {
        return "SimulatedScheduler(" + nodeId + (halted() ? ", halted" : "") + ")";
    }

    private Cancellable submit(long at, Runnable task, Supplier<String> what) {
        sim.checkThread("Scheduler of " + nodeId);
        if (halted()) {
            return NOTHING;
        }
        return sim.schedule(at, nodeId, what, () -> !halted(), task);
    }
}
