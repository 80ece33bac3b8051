package org.modkv.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.modkv.client.KeyValue;

/**
 * One logical client: keeps at most one request outstanding on its lane, and sends the next
 * when the last completes (closed loop) or when the next one is due (open loop).
 *
 * <p><b>Open loop, the wrk2 way.</b> Client {@code i} of {@code N} at total rate {@code R} has
 * its {@code k}-th request intended at {@code start + (i + k*N) / R}. It is sent at that time,
 * or at once if the previous reply came late, and its latency is measured from the intended
 * time. So a server stall of S seconds shows as latencies up to S for every request that should
 * have gone out during it, rather than as one slow request among fast ones (coordinated
 * omission).
 *
 * <p><b>Re-entrancy.</b> A target may complete a request before its send method returns (on
 * failure, or a fast reply racing the callback registration), and completions arrive on I/O
 * threads. {@link #kick()} is a drain loop guarded by a work counter, so a synchronous
 * completion does not recurse and two threads never send for one client at once.
 *
 * <p><b>Allocation.</b> Per request this class allocates nothing: keys are formatted into
 * reusable buffers, values come from the pool, the client is its own completion callback, and
 * recording goes to a lock-free recorder. (The targets allocate their own encoding buffers.)
 */
final class LoadClient implements Completion {
    /** A closed-loop client waits this long after a failure, so a dead server is not spun on. */
    static final long ERROR_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Lane lane;
    private final RunControl control;
    private final PacingQueue pacer;
    private final BenchOptions.Workload workload;
    private final double readRatio;
    private final KeyChooser keys;
    private final KeyFormat keyFormat;
    private final ValuePool values;
    private final SplittableRandom random;
    /** Time between this client's intended sends; 0 for closed loop. */
    private final long intervalNs;
    private final byte[] key;
    private final byte[][] batchKeys;
    private final List<KeyValue> batch;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();

    // The one outstanding request. Written before it is sent, read when it completes; the
    // target's hand-off to its I/O thread orders the two.
    private long intendedNs;
    private boolean measured;
    /** Open loop: the intended time of the next (or current) request. */
    private long scheduledNs;

    LoadClient(Lane lane, RunControl control, PacingQueue pacer, BenchOptions options, KeyChooser keys,
               KeyFormat keyFormat, ValuePool values, long seed, long intervalNs) {
        this.lane = lane;
        this.control = control;
        this.pacer = pacer;
        this.workload = options.workload();
        this.readRatio = options.readRatio();
        this.keys = keys;
        this.keyFormat = keyFormat;
        this.values = values;
        this.random = new SplittableRandom(seed);
        this.intervalNs = intervalNs;
        this.key = keyFormat.newBuffer();
        int batchSize = workload == BenchOptions.Workload.BULK ? options.batch() : 0;
        this.batchKeys = new byte[batchSize][];
        List<KeyValue> entries = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batchKeys[i] = keyFormat.newBuffer();
            entries.add(new KeyValue(batchKeys[i], values.valueFor(i)));
        }
        this.batch = List.copyOf(entries);
    }

    /** Starts the client: at once (closed loop) or at {@code firstNs} (open loop). */
    void start(long firstNs) {
        if (intervalNs == 0) {
            kick();
        } else {
            scheduledNs = firstNs;
            if (!pacer.schedule(this, firstNs)) {
                kick();
            }
        }
    }

    /** Sends the next request (or finishes). Called only while no request is outstanding. */
    void kick() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            step();
        } while (wip.decrementAndGet() != 0);
    }

    private void step() {
        long intended = intervalNs == 0 ? System.nanoTime() : scheduledNs;
        if (!control.mayIssue(intended)) {
            finish();
            return;
        }
        intendedNs = intended;
        measured = control.measured(intended);
        KeyValueTarget target = lane.target();
        switch (workload) {
            case WRITE -> put(target);
            case READ -> get(target);
            case MIXED -> {
                if (random.nextDouble() < readRatio) {
                    get(target);
                } else {
                    put(target);
                }
            }
            case BULK -> {
                for (byte[] batchKey : batchKeys) {
                    keyFormat.write(keys.next(random), batchKey);
                }
                target.bulkPut(batch, this);
            }
            case SEARCH -> target.search(values.word(random.nextInt(values.vocabularySize())), this);
            default -> throw new IllegalStateException("unknown workload " + workload);
        }
    }

    private void get(KeyValueTarget target) {
        keyFormat.write(keys.next(random), key);
        target.get(key, this);
    }

    private void put(KeyValueTarget target) {
        long index = keys.next(random);
        keyFormat.write(index, key);
        target.put(key, values.valueFor(index), this);
    }

    @Override
    public void succeeded(boolean found) {
        long now = System.nanoTime();
        lane.recordSuccess(measured, now - intendedNs, found);
        next(now, false);
    }

    @Override
    public void failed(Throwable cause) {
        long now = System.nanoTime();
        lane.recordFailure(measured, cause);
        next(now, true);
    }

    private void next(long nowNs, boolean failed) {
        if (control.stopped()) {
            finish();
            return;
        }
        long due;
        if (intervalNs == 0) {
            if (!failed) {
                kick();
                return;
            }
            due = nowNs + ERROR_BACKOFF_NS;
        } else {
            scheduledNs += intervalNs;
            if (scheduledNs >= control.endNs) {
                finish();
                return;
            }
            due = scheduledNs;
        }
        if (due <= nowNs || !pacer.schedule(this, due)) {
            kick();
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            control.clientFinished();
        }
    }

    boolean finished() {
        return finished.get();
    }
}
