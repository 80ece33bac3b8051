package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/**
 * Recording a latency must allocate nothing, or the benchmark's own garbage collection shows
 * up as server latency. Measured with the JVM's per-thread allocation counter over a million
 * operations; a budget of a few kilobytes leaves room for the counter's own noise while any
 * per-record allocation (16+ bytes each) would cost megabytes.
 */
class AllocationFreeRecordingTest {
    private static final int OPERATIONS = 1_000_000;
    /** Per workload and distribution: ten combinations, each run twice. */
    private static final int CYCLE_REQUESTS = 100_000;
    private static final long BUDGET_BYTES = 8 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void recordingALatencyAllocatesNothing() {
        LatencyRecording recording = new LatencyRecording(1);
        Recorder recorder = recording.recorderFor(0);
        Lane lane = new Lane(new FakeTarget(), recorder, new ErrorTally());
        recordMany(lane); // warm up: JIT, class loading, the allocation counter itself
        allocatedBytes();

        long before = allocatedBytes();
        recordMany(lane);
        long allocated = allocatedBytes() - before;

        assertTrue(allocated < BUDGET_BYTES, "recording " + OPERATIONS + " latencies allocated " + allocated + " bytes");
        assertEquals(2L * OPERATIONS, recording.sweep());
    }

    private static void recordMany(Lane lane) {
        for (int i = 0; i < OPERATIONS; i++) {
            lane.recordSuccess(true, 50_000 + (i & 0xffff) * 13L, (i & 7) != 0);
        }
    }

    /**
     * The whole client cycle — choose the operation and key, format the key, send to a target
     * that answers at once, record, send the next — allocates nothing of ours, for every
     * workload and both key distributions.
     */
    @Test
    void aClosedLoopRequestCycleAllocatesNothing() {
        for (BenchOptions.Workload workload : BenchOptions.Workload.values()) {
            for (BenchOptions.KeyDistribution distribution : BenchOptions.KeyDistribution.values()) {
                BenchOptions options = BenchOptions.builder().workload(workload).distribution(distribution)
                        .clients(1).requests(CYCLE_REQUESTS).keys(100_000).warmup(java.time.Duration.ZERO).build();
                runCycle(options); // warm up
                long before = allocatedBytes();
                FakeTarget target = runCycle(options);
                long allocated = allocatedBytes() - before;
                assertEquals(CYCLE_REQUESTS, target.requests());
                assertTrue(allocated < BUDGET_BYTES + CYCLE_SETUP_BYTES,
                        workload + "/" + distribution + ": " + CYCLE_REQUESTS + " requests allocated " + allocated + " bytes");
            }
        }
    }

    /** Per-cycle setup outside the request loop: control, client, key buffers. */
    private static final long CYCLE_SETUP_BYTES = 4 * 1024;

    private static final LatencyRecording CYCLE_RECORDING = new LatencyRecording(1);
    private static final ValuePool VALUES = new ValuePool(100, 1);
    private static final KeyFormat KEY_FORMAT = new KeyFormat(100_000);
    private static final KeyChooser UNIFORM = KeyChooser.of(BenchOptions.KeyDistribution.UNIFORM, 100_000);
    private static final KeyChooser ZIPFIAN = KeyChooser.of(BenchOptions.KeyDistribution.ZIPFIAN, 100_000);
    private static final PacingQueue PACER = new PacingQueue(1);

    private static FakeTarget runCycle(BenchOptions options) {
        FakeTarget target = new FakeTarget();
        Lane lane = new Lane(target, CYCLE_RECORDING.recorderFor(0), new ErrorTally());
        RunControl control = new RunControl(System.nanoTime(), 0, 0, options.requests(), 1);
        KeyChooser keys = options.distribution() == BenchOptions.KeyDistribution.UNIFORM ? UNIFORM : ZIPFIAN;
        LoadClient client = new LoadClient(lane, control, PACER, options, keys, KEY_FORMAT, VALUES, 11, 0);
        client.start(0); // the target answers synchronously: this runs every request, then finishes
        assertTrue(client.finished());
        CYCLE_RECORDING.sweep();
        return target;
    }
}
