package org.modkv.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

class SimulatedDurableLogTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<CompletableFuture<Long>> appendAll(SimulatedDurableLog log, String... entries) {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (String entry : entries) {
            futures.add(log.append(bytes(entry)));
        }
        return futures;
    }

    @Test
    void appendNumbersAtOnceAndCompletesInOrderAfterAnFsyncDelay() {
        Simulation sim = new Simulation(1);
        SimulatedDurableLog log = new SimulatedDurableLog(sim, "n1", "raft");
        assertEquals(1, log.firstIndex());
        assertEquals(0, log.lastIndex());
        List<Long> completed = new ArrayList<>();
        List<Long> completedAt = new ArrayList<>();
        List<CompletableFuture<Long>> futures = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            CompletableFuture<Long> future = log.append(bytes("e" + (i + 1)));
            future.thenAccept(index -> {
                completed.add(index);
                completedAt.add(sim.nowNanos());
                assertTrue(log.durableIndex() >= index);
            });
            futures.add(future);
            assertEquals(i + 1, log.lastIndex());
            if (i % 7 == 0) {
                sim.runFor(Duration.ofNanos(sim.random().nextInt(1_000_000)));
            }
        }
        assertEquals("e200", text(log.read(200)), "readable before it is durable");
        assertTrue(futures.get(199).isDone() == false);
        sim.runFor(Duration.ofMillis(10));

        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            expected.add(i);
        }
        assertEquals(expected, completed);
        for (int i = 1; i < completedAt.size(); i++) {
            assertTrue(completedAt.get(i) >= completedAt.get(i - 1));
        }
        assertTrue(completedAt.get(0) >= 100_000L, "fsync takes at least 0.1 ms, took " + completedAt.get(0));
        assertEquals(200, log.durableIndex());
    }

    @Test
    void readReturnsCopiesAndRejectsIndexesOutsideTheLog() {
        Simulation sim = new Simulation(2);
        SimulatedDurableLog log = new SimulatedDurableLog(sim, "n1", "raft");
        byte[] entry = bytes("abc");
        log.append(entry);
        entry[0] = 'X';
        byte[] read = log.read(1);
        read[1] = 'Y';

        assertEquals("abc", text(log.read(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.read(2));
        assertEquals("durable log raft holds entries 1..1, not 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> log.read(0));
    }

    @Test
    void truncateSuffixRemovesTheTailDurablyAndCompletesTheRemovedAppends() throws Exception {
        Simulation sim = new Simulation(3);
        SimulatedDurableLog log = new SimulatedDurableLog(sim, "n1", "raft");
        appendAll(log, "a", "b", "c");
        sim.runFor(Duration.ofMillis(10));
        List<CompletableFuture<Long>> pending = appendAll(log, "d", "e", "f");
        assertEquals(3, log.durableIndex());

        log.truncateSuffix(5);
        assertEquals(4, log.lastIndex());
        assertEquals(4, log.durableIndex(), "a truncation is a barrier: earlier appends became durable");
        assertFalse(pending.get(0).isDone(), "completions still come from events");
        log.truncateSuffix(9); // past the end: nothing
        assertEquals(4, log.lastIndex());
        assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(0));

        CompletableFuture<Long> replacement = log.append(bytes("E'"));
        assertEquals(5, log.lastIndex());
        sim.step();
        sim.step();
        sim.step();
        assertEquals(4L, pending.get(0).get());
        assertEquals(5L, pending.get(1).get(), "the removed append's future completes with its old index");
        assertEquals(6L, pending.get(2).get());
        assertFalse(replacement.isDone());
        sim.runFor(Duration.ofMillis(10));
        assertEquals(5L, replacement.get());
        assertEquals("E'", text(log.read(5)));
        assertEquals(5, log.durableIndex());

        assertThrows(IllegalStateException.class, log::crashCopy, "the node has not crashed yet");
        sim.crash("n1");
        SimulatedDurableLog afterCrash = log.crashCopy();
        assertEquals(List.of("a", "b", "c", "d", "E'"), contents(afterCrash));
    }

    @Test
    void truncatePrefixMovesTheFirstIndexAndPastTheEndEmptiesTheLog() {
        Simulation sim = new Simulation(4);
        SimulatedDurableLog log = new SimulatedDurableLog(sim, "n1", "raft");
        appendAll(log, "1", "2", "3", "4", "5");

        log.truncatePrefix(3);
        assertEquals(3, log.firstIndex());
        assertEquals(5, log.lastIndex());
        assertEquals("3", text(log.read(3)));
        assertThrows(IllegalArgumentException.class, () -> log.read(2));
        log.truncatePrefix(2); // before the first index: nothing
        assertEquals(3, log.firstIndex());
        assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(2));

        log.truncatePrefix(6); // exactly past the end
        assertEquals(6, log.firstIndex());
        assertEquals(5, log.lastIndex());

        log.truncatePrefix(10); // well past the end
        assertEquals(10, log.firstIndex());
        assertEquals(9, log.lastIndex());
        assertEquals(9, log.durableIndex());
        CompletableFuture<Long> next = log.append(bytes("ten"));
        assertEquals(10, log.lastIndex());
        sim.runFor(Duration.ofMillis(10));
        assertEquals(10L, next.join());

        sim.crash("n1");
        SimulatedDurableLog afterCrash = log.crashCopy();
        assertEquals(10, afterCrash.firstIndex());
        assertEquals(List.of("ten"), contents(afterCrash));
    }

    @Test
    void aCrashKeepsOnlyTheDurablePrefixAndPendingAppendsNeverComplete() {
        Simulation sim = new Simulation(5);
        SimulatedDurableLog log = new SimulatedDurableLog(sim, "n1", "raft");
        log.fsyncDelay(Duration.ofMillis(1), Duration.ofMillis(1));
        List<CompletableFuture<Long>> durable = appendAll(log, "a", "b", "c");
        sim.runFor(Duration.ofMillis(2));
        List<CompletableFuture<Long>> lost = appendAll(log, "d", "e");
        sim.runFor(Duration.ofNanos(500_000));

        sim.crash("n1");
        sim.runFor(Duration.ofSeconds(1));

        assertTrue(durable.stream().allMatch(CompletableFuture::isDone));
        assertTrue(lost.stream().noneMatch(CompletableFuture::isDone));
        assertEquals(3, log.durableIndex());
        assertEquals(5, log.lastIndex(), "the dead log still shows what it held in memory");
        assertEquals(ErrorCode.SHUTTING_DOWN, failureOf(log.append(bytes("x"))).code());
        assertEquals(ErrorCode.SHUTTING_DOWN,
                assertThrows(ModkvException.class, () -> log.truncateSuffix(1)).code());

        SimulatedDurableLog restarted = log.crashCopy();
        assertEquals(List.of("a", "b", "c"), contents(restarted));
        assertEquals(3, restarted.durableIndex());
        CompletableFuture<Long> again = restarted.append(bytes("d2"));
        sim.runFor(Duration.ofMillis(5));
        assertEquals(4L, again.join());
    }

    @Test
    void aCrashCopyMayKeepSomeUnsyncedEntries() {
        Simulation sim = new Simulation(6);
        SimulatedDurableLog log = new SimulatedDurableLog(sim, "n1", "raft");
        appendAll(log, "a", "b");
        sim.runFor(Duration.ofMillis(10));
        appendAll(log, "c", "d", "e", "f", "g", "h");
        sim.crash("n1");

        boolean sawFewer = false;
        boolean sawMore = false;
        for (int i = 0; i < 50; i++) {
            List<String> kept = contents(log.crashCopy(true));
            assertTrue(kept.size() >= 2 && kept.size() <= 8, kept.toString());
            assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h").subList(0, kept.size()), kept);
            sawFewer |= kept.size() < 8;
            sawMore |= kept.size() > 2;
        }
        assertTrue(sawFewer && sawMore);
    }

    @Test
    void closeMakesPendingAppendsDurableAndRefusesLaterUse() {
        Simulation sim = new Simulation(7);
        SimulatedDurableLog log = new SimulatedDurableLog(sim, "n1", "raft");
        CompletableFuture<Long> pending = log.append(bytes("a"));

        log.close();
        log.close();
        assertEquals(1, log.durableIndex());
        assertEquals(ErrorCode.SHUTTING_DOWN, failureOf(log.append(bytes("b"))).code());
        assertThrows(ModkvException.class, () -> log.read(1));
        sim.step();
        assertEquals(1L, pending.join());
    }

    private static ModkvException failureOf(CompletableFuture<Long> future) {
        assertTrue(future.isDone());
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        return assertInstanceOf(ModkvException.class, e.getCause());
    }

    static List<String> contents(SimulatedDurableLog log) {
        List<String> out = new ArrayList<>();
        for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
            out.add(text(log.read(i)));
        }
        return out;
    }

    @Test
    void readsOfAnEmptyLogFail() {
        SimulatedDurableLog log = new SimulatedDurableLog(new Simulation(8), "n1", "raft");
        assertArrayEquals(new long[] {1, 0}, new long[] {log.firstIndex(), log.lastIndex()});
        assertThrows(IllegalArgumentException.class, () -> log.read(1));
    }
}
