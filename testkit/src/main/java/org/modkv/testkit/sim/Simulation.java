package org.modkv.testkit.sim;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Clock;

/**
 * A deterministic simulation of a cluster: one event queue, one virtual clock and one seeded
 * {@link Random} drive every node's {@link SimulatedScheduler}, the {@link SimulatedNetwork}
 * and the nodes' {@link SimulatedStorage} and {@link SimulatedDurableLog}s. Nothing runs on
 * another thread, nothing sleeps and nothing reads the wall clock, so the same seed replays a
 * run exactly, event for event.
 *
 * <pre>{@code
 * Simulation sim = new Simulation(seed);
 * Set<String> ids = Set.of("n1", "n2", "n3");
 * for (String id : ids) {
 *     SimulatedStorage storage = new SimulatedStorage(sim, id);
 *     // a ReplicationContext built from sim.clock(), sim.scheduler(id),
 *     // sim.network().join(id, ids) and storage
 * }
 * sim.network().delay(Duration.ofMillis(1), Duration.ofMillis(20));
 * sim.network().lossRate(0.05);
 * assertTrue(sim.runUntil(() -> leaderElected(), Duration.ofSeconds(10)), sim.toString());
 * }</pre>
 *
 * <p><b>Events.</b> Every scheduler task, message delivery, reply, request timeout and storage
 * completion is an event with a virtual due time; events run one at a time in due-time order,
 * ties in the order they were created. Running an event first moves the clock to its due time.
 * An event that throws makes {@link #step()} throw an {@link AssertionError} that names the
 * seed, the node and the virtual time, so a failing run can be replayed from its seed.
 *
 * <p><b>Crashes.</b> {@link #crash(String)} ends a node's current incarnation: its schedulers
 * drop their pending and future tasks, the network drops every message to or from it and
 * forgets its handlers, its in-flight requests never complete, and its storage and logs stop
 * completing writes (what survives is given by {@link SimulatedStorage#crashCopy()}). To
 * restart the node, build its plugin again on {@link #scheduler(String) a new scheduler},
 * {@link SimulatedNetwork#join a new join} and the crash copy of its storage.
 *
 * <p><b>Threads.</b> The simulation belongs to the thread that created it. Calling it from any
 * other thread (plugin code that starts a thread or uses an async executor) throws
 * {@link IllegalStateException}, and the next {@link #step()} fails with an
 * {@link AssertionError} even if that exception was swallowed. (So create the simulation on the
 * thread that runs it: inside the test method, not in a JUnit {@code @BeforeEach} when the test
 * uses {@code assertTimeoutPreemptively}.)
 */
public final class Simulation {
    /** Wall-clock milliseconds at virtual time 0: 2024-01-01T00:00:00Z. */
    public static final long EPOCH_MILLIS = 1_704_067_200_000L;

    /**
     * How many events may run at one virtual instant before the simulation gives up with an
     * {@link AssertionError} (a task that keeps re-submitting itself would otherwise hang the
     * test).
     */
    public static final int MAX_EVENTS_AT_ONE_INSTANT = 1_000_000;

    private final long seed;
    private final Random random;
    private final Thread owner;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Map<String, Long> generations = new HashMap<>();
    private final SimulatedNetwork network;
    private final Clock clock = new SimClock();
    private long now;
    private long nextSeq;
    private long eventsRun;
    private long eventsAtThisInstant;
    private boolean running;
    private Consumer<String> tracer;
    private volatile String threadViolation;

    /** A simulation whose randomness all comes from {@code new Random(seed)}. */
    public Simulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.owner = Thread.currentThread();
        this.network = new SimulatedNetwork(this);
    }

    /** The seed this run replays from. */
    public long seed() {
        return seed;
    }

    /**
     * The simulation's only source of randomness; tests draw from it too (e.g. to pick which
     * node to crash) so that the seed decides the whole run. Use it from the simulation's
     * thread only.
     */
    public Random random() {
        return random;
    }

    /**
     * Virtual time: {@code nanoTime()} is {@link #nowNanos()} (0 when the simulation starts),
     * {@code currentTimeMillis()} is {@link #EPOCH_MILLIS} plus the virtual milliseconds.
     * The same instance for every node.
     */
    public Clock clock() {
        return clock;
    }

    /** Virtual nanoseconds since the simulation started. */
    public long nowNanos() {
        return now;
    }

    /** The network every node of this simulation joins. */
    public SimulatedNetwork network() {
        return network;
    }

    /**
     * A {@link org.modkv.api.time.Scheduler} for a node's tasks; tasks run one at a time on the
     * simulation's event loop. A new one for each call, bound to the node's current incarnation
     * (call it again after {@link #crash} to restart the node).
     */
    public SimulatedScheduler scheduler(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        checkThread("scheduler");
        return new SimulatedScheduler(this, nodeId, generation(nodeId));
    }

    /**
     * Runs the next event (skipping cancelled ones and those of crashed incarnations);
     * {@code false} when there is none.
     *
     * @throws AssertionError naming the seed and the node when the event throws, when
     *     {@link #MAX_EVENTS_AT_ONE_INSTANT} is exceeded, or when the simulation was called from
     *     a foreign thread
     */
    public boolean step() {
        checkDriver();
        Event event = nextLive();
        if (event == null) {
            return false;
        }
        queue.poll();
        run(event);
        return true;
    }

    /** Runs every event due within {@code d} from now, then sets the clock to now + {@code d}. */
    public void runFor(Duration d) {
        checkDriver();
        long deadline = deadline(d);
        while (true) {
            Event event = nextLive();
            if (event == null || event.time > deadline) {
                break;
            }
            queue.poll();
            run(event);
        }
        now = Math.max(now, deadline);
    }

    /**
     * Runs events until {@code condition} holds (checked before the first event and after every
     * event) or until {@code max} of virtual time has passed.
     *
     * @return {@code true} if the condition held (the clock is then at the event that made it
     *     true); {@code false} if {@code max} ran out (the clock is then at now + {@code max})
     */
    public boolean runUntil(BooleanSupplier condition, Duration max) {
        checkDriver();
        Objects.requireNonNull(condition, "condition");
        long deadline = deadline(max);
        if (condition.getAsBoolean()) {
            return true;
        }
        while (true) {
            Event event = nextLive();
            if (event == null || event.time > deadline) {
                now = Math.max(now, deadline);
                return condition.getAsBoolean();
            }
            queue.poll();
            run(event);
            if (condition.getAsBoolean()) {
                return true;
            }
        }
    }

    /**
     * Crashes a node: ends its current incarnation. Its schedulers drop all pending and future
     * tasks, the network drops every message to and from it and forgets its handlers, its
     * in-flight requests never complete, and its storage engines and logs complete nothing more
     * and refuse new writes. May be called from a test or from inside an event.
     */
    public void crash(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        checkThread("crash");
        generations.merge(nodeId, 1L, Long::sum);
        network.forget(nodeId);
        traceLine(nodeId, () -> "crash");
    }

    /** Whether the node's incarnation that {@code generation} names has crashed. */
    boolean crashedSince(String nodeId, long generation) {
        return generation(nodeId) != generation;
    }

    /**
     * Sends a line per event run ({@code t=<nanos> <node> <what>}) and per crash to
     * {@code sink}; {@code null} stops tracing. Two runs with the same seed produce the same
     * lines.
     */
    public void trace(Consumer<String> sink) {
        this.tracer = sink;
    }

    /** Number of events run so far. */
    public long eventsRun() {
        return eventsRun;
    }

    /** Number of events waiting, including cancelled ones not yet discarded. */
    public int pendingEvents() {
        return queue.size();
    }

    @Override
    public String toString() {
        return "Simulation(seed=" + seed + ", t=" + now + "ns, events run=" + eventsRun + ")";
    }

    // ------------------------------------------------------------------ package-private

    /** The current incarnation number of {@code nodeId} (0 until its first crash). */
    long generation(String nodeId) {
        return generations.getOrDefault(nodeId, 0L);
    }

    /**
     * Queues {@code action} at virtual time {@code at} (not before now). {@code live} is asked
     * when the event comes due; a dead event is discarded without running.
     */
    Event schedule(long at, String node, Supplier<String> what, BooleanSupplier live, Runnable action) {
        checkThread("schedule");
        Event event = new Event(Math.max(at, now), nextSeq++, node, what, live, action);
        queue.add(event);
        return event;
    }

    /** A uniformly random number in {@code [min, max]}. */
    long uniform(long min, long max) {
        if (max <= min) {
            return min;
        }
        long span = max - min;
        return span == Long.MAX_VALUE ? min + (random.nextLong() & Long.MAX_VALUE) : min + random.nextLong(span + 1);
    }

    /** Whether to act on a probability {@code p}; draws from the random only when 0 < p < 1. */
    boolean chance(double p) {
        if (p <= 0) {
            return false;
        }
        if (p >= 1) {
            return true;
        }
        return random.nextDouble() < p;
    }

    /** Throws when called from a thread other than the simulation's own, and remembers it. */
    void checkThread(String what) {
        Thread current = Thread.currentThread();
        if (current != owner) {
            String message = "simulation seed=" + seed + " was called (" + what + ") from thread '" + current.getName()
                    + "' but is driven by thread '" + owner.getName() + "': code under simulation must not start "
                    + "threads or use asynchronous executors";
            if (threadViolation == null) {
                threadViolation = message;
            }
            throw new IllegalStateException(message);
        }
    }

    /** Sends a trace line, built only when someone listens. */
    void traceLine(String node, Supplier<String> what) {
        Consumer<String> sink = tracer;
        if (sink != null) {
            sink.accept("t=" + now + " " + node + " " + what.get());
        }
    }

    // ------------------------------------------------------------------ internals

    private void checkDriver() {
        checkThread("step");
        String violation = threadViolation;
        if (violation != null) {
            throw new AssertionError(violation);
        }
        if (running) {
            throw new IllegalStateException("simulation seed=" + seed
                    + ": step/runFor/runUntil called from inside an event");
        }
    }

    private long deadline(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        long deadline = now + nanos;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }

    /** The next event that will run, discarding cancelled and dead ones; stays in the queue. */
    private Event nextLive() {
        while (true) {
            Event event = queue.peek();
            if (event == null) {
                return null;
            }
            if (!event.cancelled && event.live.getAsBoolean()) {
                return event;
            }
            queue.poll();
        }
    }

    private void run(Event event) {
        if (event.time > now) {
            now = event.time;
            eventsAtThisInstant = 0;
        }
        if (++eventsAtThisInstant > MAX_EVENTS_AT_ONE_INSTANT) {
            throw new AssertionError("simulation seed=" + seed + ": more than " + MAX_EVENTS_AT_ONE_INSTANT
                    + " events at virtual time " + now + " ns without time advancing (last on node " + event.node
                    + ": " + event.what.get() + "); a task keeps re-submitting itself");
        }
        eventsRun++;
        event.cancelled = true; // done: cancelling it now is a no-op
        traceLine(event.node, event.what);
        running = true;
        try {
            event.action.run();
        } catch (Throwable t) {
            throw new AssertionError("simulation seed=" + seed + ": event on node " + event.node + " at virtual time "
                    + now + " ns (" + event.what.get() + ") threw " + t, t);
        } finally {
            running = false;
        }
    }

    /** One queued event; cancelling it means it never runs. */
    static final class Event implements Comparable<Event>, Cancellable {
        final long time;
        final long seq;
        final String node;
        final Supplier<String> what;
        final BooleanSupplier live;
        final Runnable action;
        boolean cancelled;

        Event(long time, long seq, String node, Supplier<String> what, BooleanSupplier live, Runnable action) {
            this.time = time;
            this.seq = seq;
            this.node = node;
            this.what = what;
            this.live = live;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event o) {
            int byTime = Long.compare(time, o.time);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    private final class SimClock implements Clock {
        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public long currentTimeMillis() {
            return EPOCH_MILLIS + now / 1_000_000;
        }

        @Override
        public String toString() {
            return "SimulatedClock(t=" + now + "ns)";
        }
    }
}
