package org.modkv.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.DurableLog;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

class SimulatedStorageTest {

    private static WriteBatch batch() {
        return new WriteBatch();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String valueOf(SimulatedStorage storage, String key) {
        Optional<StoredRecord> record = storage.get(bytes(key));
        return record.map(r -> text(r.value())).orElse(null);
    }

    private static List<String> keys(SimulatedStorage storage) {
        List<String> keys = new ArrayList<>();
        storage.scan(r -> keys.add(text(r.key())));
        return keys;
    }

    @Test
    void appliesPutsAndDeletesWithMetadataInUnsignedKeyOrder() {
        Simulation sim = new Simulation(1);
        SimulatedStorage storage = new SimulatedStorage(sim, "n1");
        byte[] high = {(byte) 0x80};
        byte[] low = {0x7f};

        storage.write(batch().put(high, bytes("high")).put(low, bytes("low"))
                .put(bytes("k"), bytes("v1"), bytes("meta")), Durability.DURABLE);
        storage.write(batch().put(bytes("k"), bytes("v2"), bytes("meta2")).put(bytes("gone"), bytes("x"))
                .delete(bytes("gone")), Durability.VISIBLE);

        StoredRecord k = storage.get(bytes("k")).orElseThrow();
        assertEquals("v2", text(k.value()));
        assertEquals("meta2", text(k.metadata()));
        assertTrue(storage.get(bytes("gone")).isEmpty(), "a delete removes the key");
        assertEquals(3, storage.keyCount());
        List<byte[]> scanned = new ArrayList<>();
        storage.scan(r -> scanned.add(r.key()));
        assertArrayEquals(bytes("k"), scanned.get(0));
        assertArrayEquals(low, scanned.get(1));
        assertArrayEquals(high, scanned.get(2), "keys compare unsigned: 0x80 after 0x7f");

        storage.get(bytes("k")).orElseThrow().value()[0] = 'X';
        assertEquals("v2", valueOf(storage, "k"), "reads hand out copies");
    }

    @Test
    void completionsFireInSequenceOrderAsEvents() {
        Simulation sim = new Simulation(2);
        SimulatedStorage storage = new SimulatedStorage(sim, "n1");
        List<Long> completed = new ArrayList<>();
        List<Long> lastSequenceSeen = new ArrayList<>();

        for (int i = 0; i < 100; i++) {
            Durability durability = sim.random().nextBoolean() ? Durability.DURABLE : Durability.VISIBLE;
            assertTrue(storage.offer(batch().put(bytes("k" + i), bytes("v")), durability, (seq, failure) -> {
                assertEquals(null, failure);
                completed.add(seq);
                lastSequenceSeen.add(storage.lastSequence());
            }));
            if (i % 10 == 0) {
                sim.runFor(Duration.ofNanos(sim.random().nextInt(500_000)));
            }
        }
        assertEquals(100, storage.keyCount(), "visible as soon as offered");
        sim.runFor(Duration.ofMillis(10));

        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            expected.add(i);
        }
        assertEquals(expected, completed);
        assertEquals(expected, lastSequenceSeen, "lastSequence counts a batch once it completes");
        assertEquals(100, storage.lastSequence());
    }

    @Test
    void visibleCompletesInTheNextEventDurableAfterTheFsyncDelay() {
        Simulation sim = new Simulation(3);
        SimulatedStorage storage = new SimulatedStorage(sim, "n1");
        storage.fsyncDelay(Duration.ofMillis(1), Duration.ofMillis(1));

        CompletableFuture<Long> visible = storage.write(batch().put(bytes("a"), bytes("1")), Durability.VISIBLE);
        assertFalse(visible.isDone());
        assertEquals(0, storage.lastSequence());
        sim.step();
        assertEquals(1L, visible.join());
        assertEquals(0, sim.nowNanos());

        CompletableFuture<Long> durable = storage.write(batch().put(bytes("b"), bytes("2")), Durability.DURABLE);
        CompletableFuture<Long> visibleAfter = storage.write(batch().put(bytes("c"), bytes("3")),
                Durability.VISIBLE);
        sim.step();
        assertEquals(1_000_000L, sim.nowNanos());
        assertTrue(durable.isDone());
        assertFalse(visibleAfter.isDone(), "a later VISIBLE batch waits for the earlier DURABLE one");
        sim.step();
        assertEquals(3L, visibleAfter.join());
        assertEquals(2, storage.durableSequence());
    }

    @Test
    void crashCopyKeepsTheDurablePrefixOnly() {
        Simulation sim = new Simulation(4);
        SimulatedStorage storage = new SimulatedStorage(sim, "n1");
        storage.fsyncDelay(Duration.ofMillis(1), Duration.ofMillis(1));
        storage.write(batch().put(bytes("a"), bytes("1")).put(bytes("doomed"), bytes("x")), Durability.VISIBLE);
        storage.write(batch().put(bytes("b"), bytes("2")).delete(bytes("doomed")), Durability.DURABLE);
        storage.write(batch().put(bytes("c"), bytes("3")), Durability.VISIBLE);
        sim.runFor(Duration.ofMillis(5));
        List<Long> lateCompletions = new ArrayList<>();
        storage.offer(batch().put(bytes("d"), bytes("4")).put(bytes("a"), bytes("changed")), Durability.DURABLE,
                (seq, failure) -> lateCompletions.add(seq));
        assertEquals(3, storage.lastSequence());
        assertEquals(2, storage.durableSequence(), "batch 3 is visible only: nothing durable after it");

        assertThrows(IllegalStateException.class, storage::crashCopy, "the node has not crashed yet");
        sim.crash("n1");
        sim.runFor(Duration.ofSeconds(1));
        assertTrue(lateCompletions.isEmpty(), "the crashed node's pending completion never fires");
        ModkvException refused = assertThrows(ModkvException.class, () -> storage.offer(new WriteBatch(),
                Durability.DURABLE, (s, f) -> { }));
        assertEquals(ErrorCode.SHUTTING_DOWN, refused.code());

        SimulatedStorage restarted = storage.crashCopy();
        assertEquals(List.of("a", "b"), keys(restarted));
        assertEquals("1", valueOf(restarted, "a"));
        assertEquals(2, restarted.lastSequence());
        assertEquals(2, restarted.durableSequence());

        CompletableFuture<Long> next = restarted.write(batch().put(bytes("e"), bytes("5")), Durability.DURABLE);
        sim.runFor(Duration.ofMillis(5));
        assertEquals(3L, next.join(), "sequence numbers continue from the durable prefix");
    }

    @Test
    void aVisibleBatchBeforeACompletedDurableOneSurvives() {
        Simulation sim = new Simulation(5);
        SimulatedStorage storage = new SimulatedStorage(sim, "n1");
        storage.write(batch().put(bytes("visible"), bytes("1")), Durability.VISIBLE);
        storage.write(batch().put(bytes("durable"), bytes("2")), Durability.DURABLE);
        sim.runFor(Duration.ofMillis(5));

        sim.crash("n1");
        SimulatedStorage restarted = storage.crashCopy();

        assertEquals(List.of("durable", "visible"), keys(restarted));
    }

    @Test
    void crashCopyKeepingSomeUnsyncedKeepsAPrefixOfThePendingBatches() {
        Simulation sim = new Simulation(6);
        SimulatedStorage storage = new SimulatedStorage(sim, "n1");
        for (int i = 0; i < 6; i++) {
            storage.write(batch().put(bytes("k" + i), bytes("v")), Durability.DURABLE);
        }
        sim.crash("n1");

        boolean sawNone = false;
        boolean sawSome = false;
        for (int i = 0; i < 60; i++) {
            SimulatedStorage copy = storage.crashCopy(true);
            List<String> keys = keys(copy);
            assertEquals(List.of("k0", "k1", "k2", "k3", "k4", "k5").subList(0, keys.size()), keys);
            assertEquals(keys.size(), copy.lastSequence());
            sawNone |= keys.isEmpty();
            sawSome |= !keys.isEmpty();
        }
        assertTrue(sawNone && sawSome);
    }

    @Test
    void openLogGivesOneLogPerNameAndCrashCopiesIt() throws Exception {
        Simulation sim = new Simulation(7);
        SimulatedStorage storage = new SimulatedStorage(sim, "n1");
        DurableLog raft = storage.openLog("raft").orElseThrow();
        assertSame(raft, storage.openLog("raft").orElseThrow());
        DurableLog other = storage.openLog("other").orElseThrow();
        assertFalse(raft == other);

        raft.append(bytes("r1"));
        sim.runFor(Duration.ofMillis(5));
        raft.append(bytes("r2-unsynced"));
        other.append(bytes("o1"));
        raft.close();
        DurableLog reopened = storage.openLog("raft").orElseThrow();
        assertFalse(reopened == raft, "a closed log is opened again as a new handle");
        assertEquals("r2-unsynced", text(reopened.read(2)), "close made the pending append durable");
        reopened.append(bytes("r3-unsynced"));

        sim.crash("n1");
        SimulatedStorage restarted = storage.crashCopy();
        SimulatedDurableLog raftAfter = restarted.log("raft");
        assertEquals(List.of("r1", "r2-unsynced"), SimulatedDurableLogTest.contents(raftAfter));
        assertSame(raftAfter, restarted.openLog("raft").orElseThrow());
        assertEquals(0, restarted.log("other").lastIndex(), "o1 was never durable");
        assertThrows(ModkvException.class, () -> storage.openLog("raft"));
    }

    @Test
    void checkpointAndRestoreRoundTrip() throws Exception {
        Simulation sim = new Simulation(8);
        SimulatedStorage source = new SimulatedStorage(sim, "n1");
        source.write(batch().put(bytes("a"), bytes("1"), bytes("m")).put(bytes("b"), bytes("2")),
                Durability.DURABLE);
        sim.runFor(Duration.ofMillis(5));
        ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
        source.checkpoint(checkpoint);

        SimulatedStorage target = new SimulatedStorage(sim, "n2");
        target.write(batch().put(bytes("old"), bytes("x")), Durability.DURABLE);
        sim.runFor(Duration.ofMillis(5));
        target.restore(new ByteArrayInputStream(checkpoint.toByteArray()));

        assertEquals(source.records(), target.records());
        assertEquals("m", text(target.get(bytes("a")).orElseThrow().metadata()));
        assertEquals(2, target.lastSequence());
        sim.crash("n2");
        assertEquals(source.records(), target.crashCopy().records(), "a restore is durable when it returns");
    }

    @Test
    void closeMakesAcceptedBatchesDurableAndRefusesNewOnes() {
        Simulation sim = new Simulation(9);
        SimulatedStorage storage = new SimulatedStorage(sim, "n1");
        CompletableFuture<Long> pending = storage.write(batch().put(bytes("a"), bytes("1")),
                Durability.VISIBLE);

        storage.close();
        assertEquals(1, storage.durableSequence());
        CompletableFuture<Long> refused = storage.write(batch().put(bytes("b"), bytes("2")),
                Durability.DURABLE);
        assertTrue(refused.isCompletedExceptionally());
        sim.runFor(Duration.ofMillis(5));
        assertEquals(1L, pending.join());
    }
}
