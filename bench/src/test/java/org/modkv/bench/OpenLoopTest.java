package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.modkv.bench.BenchOptions.Workload;

/** The load model, against targets that answer at once or stall on purpose. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenLoopTest {

    private static BenchResult run(BenchOptions options, KeyValueTarget target) {
        return new BenchRunner(options, null, 1, o -> TargetSet.of(List.of(target))).run();
    }

    /** Holds the first put for {@code stallMs}, then answers everything at once. */
    private static final class StallingTarget extends FakeTarget {
        private final long stallMs;
        private final AtomicBoolean stalled = new AtomicBoolean();

        StallingTarget(long stallMs) {
            this.stallMs = stallMs;
        }

        @Override
        public void put(byte[] key, byte[] value, Completion done) {
            if (stalled.compareAndSet(false, true)) {
                puts.incrementAndGet();
                CompletableFuture.runAsync(() -> {
                    sleep(stallMs);
                    done.succeeded(true);
                });
            } else {
                super.put(key, value, done);
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void openLoopChargesAStallToEveryRequestThatShouldHaveBeenSentDuringIt() {
        // 100 requests/s from one client: one every 10 ms. The first reply takes 300 ms, so the
        // ~30 requests intended during the stall go late and are measured from their intended
        // time. A closed loop would record a single slow request.
        BenchOptions options = BenchOptions.builder().workload(Workload.WRITE).connect("fake:1").clients(1)
                .rate(100).duration(Duration.ofSeconds(1)).warmup(Duration.ZERO).build();
        BenchResult result = run(options, new StallingTarget(300));

        long slow = result.histogram().getCountBetweenValues(100_000_000L, Long.MAX_VALUE / 2);
        assertTrue(slow >= 10, slow + " requests at or above 100 ms; expected the stall to be charged to ~20");
        assertTrue(result.maxMs() >= 300, "the stalled request itself took " + result.maxMs() + " ms");
        assertTrue(result.ops() <= 101, "at most the schedule's 100 requests (+1 rounding), was " + result.ops());
    }

    @Test
    void openLoopSendsNoMoreThanTheScheduleAllows() {
        BenchOptions options = BenchOptions.builder().workload(Workload.MIXED).connect("fake:1").clients(4)
                .connections(1).rate(2000).duration(Duration.ofSeconds(1)).warmup(Duration.ofMillis(200)).build();
        FakeTarget target = new FakeTarget();
        BenchResult result = run(options, target);
        assertTrue(result.ops() > 0 && result.ops() <= 2004, "ops " + result.ops());
        assertTrue(target.requests() >= result.ops(), "warm-up requests were sent but not recorded");
        assertEquals(0, result.errors());
    }

    @Test
    void closedLoopRequestsModeMeasuresExactlyTheAskedCount() {
        BenchOptions options = BenchOptions.builder().workload(Workload.BULK).connect("fake:1").clients(3)
                .connections(1).requests(12_345).warmup(Duration.ZERO).build();
        FakeTarget target = new FakeTarget();
        BenchResult result = run(options, target);
        assertEquals(12_345, result.ops());
        assertEquals(12_345, target.bulks.get());
        assertTrue(result.throughput() > 0);
    }

    /** Answers every request about a millisecond later, from a timer thread. */
    private static final class DelayedTarget extends FakeTarget {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        @Override
        public void put(byte[] key, byte[] value, Completion done) {
            puts.incrementAndGet();
            timer.schedule(() -> done.succeeded(true), 1, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    @Test
    void requestsModeRunsPastTheProgressTicksUntilEveryRequestIsDone() {
        // one client, ~1 ms per request: well past the first progress tick at 1 s
        BenchOptions options = BenchOptions.builder().workload(Workload.WRITE).connect("fake:1").clients(1)
                .requests(1500).warmup(Duration.ZERO).build();
        DelayedTarget target = new DelayedTarget();
        BenchResult result = run(options, target);
        assertEquals(1500, result.ops(), result.summaryTable());
        assertEquals(1500, target.puts.get());
        assertTrue(result.elapsed().toMillis() >= 1500, "each request waited at least 1 ms");
    }

    @Test
    void stopEndsARunEarly() throws Exception {
        BenchOptions options = BenchOptions.builder().workload(Workload.WRITE).connect("fake:1").clients(2)
                .connections(1).rate(1000).duration(Duration.ofSeconds(60)).warmup(Duration.ZERO).build();
        BenchRunner runner = new BenchRunner(options, null, 1, o -> TargetSet.of(List.of(new FakeTarget())));
        CompletableFuture<BenchResult> running = CompletableFuture.supplyAsync(runner::run);
        Thread.sleep(300);
        runner.stop();
        BenchResult result = running.get(20, TimeUnit.SECONDS);
        assertTrue(result.elapsed().toSeconds() < 30, "stopped long before the 60 s duration");
    }
}
