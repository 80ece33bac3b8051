package org.modkv.replication.quorum.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.modkv.replication.quorum.version.DvvSet;

/** Quorum shapes and coordinator arguments a caller can get wrong are refused with what is allowed. */
class CoordinatorArgumentsTest {
    @Test
    void refusesQuorumsOutsideOneToN() {
        assertEquals("the read quorum r must be between 1 and n=3, got 4",
                assertThrows(IllegalArgumentException.class, () -> new QuorumSettings(3, 4, 2, true)).getMessage());
        assertEquals("the write quorum w must be between 1 and n=2, got 0",
                assertThrows(IllegalArgumentException.class, () -> new QuorumSettings(2, 1, 0, true)).getMessage());
        assertEquals("the replication factor n must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new QuorumSettings(0, 1, 1, true)).getMessage());
        assertTrue(QuorumSettings.DEFAULTS.overlapping());
        assertFalse(new QuorumSettings(3, 1, 2, true).overlapping());
    }

    @Test
    void onlyAHomeReplicaCoordinatesAWriteAndTheListMustHoldN() {
        assertEquals("node d cannot coordinate a write to a key whose replicas are [a, b, c]: forward it to one of them",
                assertThrows(IllegalArgumentException.class, () -> new PutCoordinator(new byte[] {1}, DvvSet.empty(), "d",
                        List.of("a", "b", "c"), List.of(), QuorumSettings.DEFAULTS)).getMessage());
        assertEquals("the preference list [a, b] does not hold n=3 nodes",
                assertThrows(IllegalArgumentException.class, () -> new GetCoordinator(new byte[] {1}, List.of("a", "b"),
                        List.of(), QuorumSettings.DEFAULTS)).getMessage());
        assertEquals("node a appears twice in the preference list [a, a, b]",
                assertThrows(IllegalArgumentException.class, () -> new GetCoordinator(new byte[] {1},
                        List.of("a", "a", "b"), List.of(), QuorumSettings.DEFAULTS)).getMessage());
    }

    @Test
    void aWriteWithWOfOneSucceedsAtOnceOnTheCoordinatorsOwnCopy() {
        PutCoordinator put = new PutCoordinator(new byte[] {1}, DvvSet.empty(), "a", List.of("a", "b", "c"), List.of(),
                new QuorumSettings(3, 1, 1, false));
        assertEquals(2, put.start().size());
        assertEquals(Outcome.SUCCEEDED, put.outcome());
        assertThrows(IllegalStateException.class, put::start);
    }
}
