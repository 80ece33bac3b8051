package org.modkv.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.modkv.api.time.Cancellable;

class SimulationTest {

    @Test
    void clockIsVirtualAndStartsAtZero() {
        Simulation sim = new Simulation(1);
        assertEquals(0, sim.nowNanos());
        assertEquals(0, sim.clock().nanoTime());
        assertEquals(Simulation.EPOCH_MILLIS, sim.clock().currentTimeMillis());

        sim.runFor(Duration.ofMillis(1500));

        assertEquals(1_500_000_000L, sim.nowNanos());
        assertEquals(1_500_000_000L, sim.clock().nanoTime());
        assertEquals(Simulation.EPOCH_MILLIS + 1500, sim.clock().currentTimeMillis());
        assertFalse(sim.step());
    }

    @Test
    void executeRunsAfterAlreadyQueuedTasksAtTheSameTime() {
        Simulation sim = new Simulation(2);
        SimulatedScheduler a = sim.scheduler("a");
        SimulatedScheduler b = sim.scheduler("b");
        List<String> order = new ArrayList<>();
        a.execute(() -> {
            order.add("a1");
            a.execute(() -> order.add("a1-child"));
        });
        b.execute(() -> order.add("b1"));
        a.schedule(0, TimeUnit.MILLISECONDS, () -> order.add("a-timer0"));
        a.execute(() -> order.add("a2"));

        assertTrue(order.isEmpty(), "nothing runs inside execute");
        while (sim.step()) {
            // run everything
        }

        assertEquals(List.of("a1", "b1", "a-timer0", "a2", "a1-child"), order);
        assertEquals(0, sim.nowNanos());
        assertEquals(5, sim.eventsRun());
    }

    @Test
    void scheduledTasksRunAtTheirVirtualTimeTiesInSubmissionOrder() {
        Simulation sim = new Simulation(3);
        SimulatedScheduler s = sim.scheduler("n");
        List<String> order = new ArrayList<>();
        s.schedule(30, TimeUnit.MILLISECONDS, () -> order.add("30ms@" + sim.nowNanos()));
        s.schedule(10, TimeUnit.MILLISECONDS, () -> order.add("10ms-first@" + sim.nowNanos()));
        s.schedule(10_000, TimeUnit.MICROSECONDS, () -> order.add("10ms-second@" + sim.nowNanos()));
        s.schedule(-5, TimeUnit.SECONDS, () -> order.add("negative@" + sim.nowNanos()));

        sim.runFor(Duration.ofMillis(20));
        assertEquals(List.of("negative@0", "10ms-first@10000000", "10ms-second@10000000"), order);
        assertEquals(20_000_000L, sim.nowNanos());

        sim.runFor(Duration.ofMillis(10));
        assertEquals("30ms@30000000", order.get(3));
    }

    @Test
    void cancelledTaskNeverRuns() {
        Simulation sim = new Simulation(4);
        SimulatedScheduler s = sim.scheduler("n");
        AtomicInteger ran = new AtomicInteger();
        Cancellable cancelled = s.schedule(5, TimeUnit.MILLISECONDS, ran::incrementAndGet);
        Cancellable cancelledBySibling = s.schedule(10, TimeUnit.MILLISECONDS, () -> ran.addAndGet(100));
        s.schedule(7, TimeUnit.MILLISECONDS, cancelledBySibling::cancel);
        s.schedule(20, TimeUnit.MILLISECONDS, () -> ran.addAndGet(1000));
        cancelled.cancel();
        cancelled.cancel();

        sim.runFor(Duration.ofSeconds(1));

        assertEquals(1000, ran.get());
    }

    @Test
    void runUntilStopsWhenTheConditionHoldsOrTimeRunsOut() {
        Simulation sim = new Simulation(5);
        SimulatedScheduler s = sim.scheduler("n");
        AtomicInteger ticks = new AtomicInteger();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks.incrementAndGet();
            s.schedule(10, TimeUnit.MILLISECONDS, tick[0]);
        };
        s.execute(tick[0]);

        assertTrue(sim.runUntil(() -> ticks.get() == 5, Duration.ofSeconds(1)));
        assertEquals(40_000_000L, sim.nowNanos());

        assertFalse(sim.runUntil(() -> ticks.get() == 1000, Duration.ofMillis(100)));
        assertEquals(140_000_000L, sim.nowNanos());
        assertEquals(15, ticks.get());
    }

    @Test
    void aThrowingTaskFailsTheStepNamingSeedAndNode() {
        Simulation sim = new Simulation(987654321L);
        sim.scheduler("node-7").schedule(3, TimeUnit.MILLISECONDS, () -> {
            throw new IllegalStateException("boom");
        });
        AtomicInteger later = new AtomicInteger();
        sim.scheduler("node-8").schedule(4, TimeUnit.MILLISECONDS, later::incrementAndGet);

        AssertionError error = assertThrows(AssertionError.class, () -> sim.runFor(Duration.ofSeconds(1)));

        assertTrue(error.getMessage().contains("seed=987654321"), error.getMessage());
        assertTrue(error.getMessage().contains("node-7"), error.getMessage());
        assertTrue(error.getMessage().contains("boom"), error.getMessage());
        assertTrue(error.getCause() instanceof IllegalStateException);
        assertEquals(3_000_000L, sim.nowNanos());
        // the simulation can go on after the failure
        sim.runFor(Duration.ofMillis(5));
        assertEquals(1, later.get());
    }

    @Test
    void crashDropsPendingAndFutureTasksOfTheNodeOnly() {
        Simulation sim = new Simulation(6);
        SimulatedScheduler n1 = sim.scheduler("n1");
        SimulatedScheduler n2 = sim.scheduler("n2");
        List<String> ran = new ArrayList<>();
        n1.execute(() -> ran.add("n1-now"));
        n1.schedule(10, TimeUnit.MILLISECONDS, () -> ran.add("n1-later"));
        n2.schedule(10, TimeUnit.MILLISECONDS, () -> ran.add("n2-later"));

        sim.crash("n1");
        n1.execute(() -> ran.add("n1-after-crash"));
        assertTrue(n1.halted());
        assertFalse(n2.halted());
        SimulatedScheduler restarted = sim.scheduler("n1");
        assertFalse(restarted.halted());
        restarted.schedule(5, TimeUnit.MILLISECONDS, () -> ran.add("n1-restarted"));
        sim.runFor(Duration.ofSeconds(1));

        assertEquals(List.of("n1-restarted", "n2-later"), ran);
    }

    @Test
    void haltStopsOneSchedulerWithoutCrashingTheNode() {
        Simulation sim = new Simulation(7);
        SimulatedScheduler first = sim.scheduler("n");
        SimulatedScheduler second = sim.scheduler("n");
        List<String> ran = new ArrayList<>();
        first.schedule(1, TimeUnit.MILLISECONDS, () -> ran.add("first"));
        second.schedule(1, TimeUnit.MILLISECONDS, () -> ran.add("second"));

        first.halt();
        first.execute(() -> ran.add("first-again"));
        sim.runFor(Duration.ofMillis(10));

        assertTrue(first.halted());
        assertEquals(List.of("second"), ran);
    }

    @Test
    void callsFromAnotherThreadAreRejectedAndFailTheNextStep() throws Exception {
        Simulation sim = new Simulation(8);
        SimulatedScheduler s = sim.scheduler("n");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread rogue = new Thread(() -> {
            try {
                s.execute(() -> { });
            } catch (Throwable t) {
                seen.set(t);
            }
        }, "rogue-thread");
        rogue.start();
        rogue.join();

        assertNotNull(seen.get());
        assertSame(IllegalStateException.class, seen.get().getClass());
        AssertionError error = assertThrows(AssertionError.class, sim::step);
        assertTrue(error.getMessage().contains("rogue-thread"), error.getMessage());
        assertTrue(error.getMessage().contains("seed=8"), error.getMessage());
    }

    @Test
    void aTaskThatKeepsResubmittingItselfAtOneInstantIsReported() {
        Simulation sim = new Simulation(9);
        SimulatedScheduler s = sim.scheduler("spinner");
        Runnable[] spin = new Runnable[1];
        spin[0] = () -> s.execute(spin[0]);
        s.execute(spin[0]);

        AssertionError error = assertThrows(AssertionError.class, () -> sim.runFor(Duration.ofSeconds(1)));

        assertTrue(error.getMessage().contains("spinner"), error.getMessage());
        assertTrue(error.getMessage().contains("seed=9"), error.getMessage());
    }

    @Test
    void steppingFromInsideAnEventIsRejected() {
        Simulation sim = new Simulation(10);
        sim.scheduler("n").execute(sim::step);

        AssertionError error = assertThrows(AssertionError.class, sim::step);

        assertTrue(error.getCause() instanceof IllegalStateException, String.valueOf(error.getCause()));
    }
}
