package org.modkv.replication.quorum.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a tombstone may go: a replica that missed the delete (it still holds the value) blocks
 * collection until it has the tombstone, and the grace period runs from the last
 * acknowledgement. That a stale copy cannot bring the key back afterwards is scripted in
 * {@code sim.StaleHintTest} and checked over random runs by {@code sim.QuorumSimulationTest}.
 */
class PendingTombstoneTest {
    private static final TombstoneGcSettings SETTINGS = new TombstoneGcSettings(1000, 600, 100);
    private static final List<String> REPLICAS = List.of("a", "b", "c");

    @Test
    void collectsOnlyAfterEveryReplicaAcknowledgedAndTheGracePassed() {
        DvvSet value = DvvSet.empty().update(VersionVector.empty(), bytes("v"), "a", 0, 1);
        DvvSet deleted = value.update(value.context(), null, "a", 0, 2);
        PendingTombstone pending = new PendingTombstone(deleted, REPLICAS);
        pending.acknowledge("a", deleted.context(), 10);
        pending.acknowledge("b", deleted.context(), 20);
        pending.acknowledge("c", value.context(), 30); // c has only the value: it missed the delete
        pending.acknowledge("z", deleted.context(), 30); // not a replica of the key
        assertEquals(List.of("c"), pending.missing());
        assertFalse(pending.collectible(deleted, 100_000, SETTINGS), "c still holds the live value");
        pending.acknowledge("c", deleted.context(), 500);
        assertFalse(pending.collectible(deleted, 500 + 999, SETTINGS), "within the grace period");
        assertTrue(pending.collectible(deleted, 500 + 1000, SETTINGS));
    }

    @Test
    void aNewerWriteOrAConcurrentValueCancelsTheCollection() {
        DvvSet deleted = DvvSet.empty().update(VersionVector.empty(), null, "a", 0, 1);
        PendingTombstone pending = new PendingTombstone(deleted, REPLICAS);
        for (String n : REPLICAS) {
            pending.acknowledge(n, deleted.context(), 0);
        }
        DvvSet concurrent = deleted.merge(DvvSet.empty().update(VersionVector.empty(), bytes("w"), "b", 0, 2));
        assertFalse(pending.collectible(concurrent, 10_000, SETTINGS));
        assertTrue(pending.collectible(deleted, 10_000, SETTINGS));
    }

    @Test
    void refusesALiveStateAndAGraceShorterThanWhatCanStillBeInFlight() {
        DvvSet value = DvvSet.empty().update(VersionVector.empty(), bytes("v"), "a", 0, 1);
        assertThrows(IllegalArgumentException.class, () -> new PendingTombstone(value, REPLICAS));
        assertEquals("the tombstone grace period (500 ms) must be at least the hint TTL plus the maximum message age"
                        + " (600 + 100 ms), or a stale copy could resurrect a deleted key",
                assertThrows(IllegalArgumentException.class, () -> new TombstoneGcSettings(500, 600, 100)).getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
