package org.modkv.replication.quorum.version;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The default GET's rule: highest (timestamp, node, counter); a winning tombstone reads as absent. */
class LastWriterWinsTest {
    @Test
    void theLatestTimestampWinsAndTiesGoToTheHigherDot() {
        DvvSet a = DvvSet.empty().update(VersionVector.empty(), bytes("old"), "a", 0, 10);
        DvvSet b = DvvSet.empty().update(VersionVector.empty(), bytes("new"), "b", 0, 20);
        assertArrayEquals(bytes("new"), LastWriterWins.resolve(a.merge(b)).orElseThrow());
        DvvSet c = DvvSet.empty().update(VersionVector.empty(), bytes("tie-c"), "c", 0, 20);
        assertArrayEquals(bytes("tie-c"), LastWriterWins.resolve(b.merge(c)).orElseThrow());
    }

    @Test
    void aWinningTombstoneReadsAsAbsentAndALaterConcurrentValueBeatsIt() {
        DvvSet value = DvvSet.empty().update(VersionVector.empty(), bytes("v"), "a", 0, 10);
        DvvSet deleted = value.update(value.context(), null, "a", 0, 11);
        assertTrue(LastWriterWins.resolve(deleted).isEmpty());
        DvvSet concurrent = DvvSet.empty().update(VersionVector.empty(), bytes("w"), "b", 0, 12);
        assertArrayEquals(bytes("w"), LastWriterWins.resolve(deleted.merge(concurrent)).orElseThrow());
        assertTrue(LastWriterWins.resolve(DvvSet.empty()).isEmpty());
    }

    @Test
    void everyReplicaPicksTheSameWinnerWhateverTheMergeOrder() {
        Random random = new Random(9);
        for (int i = 0; i < 200; i++) {
            StateHistory h = new StateHistory(random, 30);
            DvvSet one = h.replicas[0].merge(h.replicas[1]).merge(h.replicas[2]);
            DvvSet two = h.replicas[2].merge(h.replicas[0]).merge(h.replicas[1]);
            assertEquals(LastWriterWins.winner(one), LastWriterWins.winner(two));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
