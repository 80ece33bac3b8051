package org.modkv.replication.quorum.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored/sent form of a key's state: round trips and refusals. */
class DvvSetCodecTest {
    @Test
    void roundTripsEveryStateOfRandomHistories() {
        Random random = new Random(2);
        for (int i = 0; i < 50; i++) {
            for (DvvSet state : new StateHistory(random, 40).states) {
                assertEquals(state, DvvSetCodec.decode(DvvSetCodec.encode(state)));
            }
        }
    }

    @Test
    void refusesTruncationAtEveryByte() {
        DvvSet state = new StateHistory(new Random(4), 30).replicas[0];
        byte[] valid = DvvSetCodec.encode(state);
        for (int cut = 0; cut < valid.length; cut++) {
            byte[] truncated = Arrays.copyOf(valid, cut);
            assertThrows(IllegalArgumentException.class, () -> DvvSetCodec.decode(truncated), "cut at " + cut);
        }
    }

    @Test
    void refusesASiblingOutsideTheContextAnUnknownKindAndAnotherVersion() {
        // context {a:1}, one sibling b:1 (not covered)
        assertEquals("malformed replica state (11 bytes): sibling b:1 is not covered by the context {a=1}",
                error("0101016101" + "01016201" + "0501"));
        assertEquals("malformed replica state (12 bytes): has sibling kind 7, allowed 0 (value) or 1 (tombstone)"
                + " at byte 11", error("010101610101016101050700"));
        assertEquals("malformed replica state (2 bytes): format version 9 is not supported, this node reads version 1",
                error("0900"));
    }

    private static String error(String hex) {
        return assertThrows(IllegalArgumentException.class, () -> DvvSetCodec.decode(HexFormat.of().parseHex(hex)))
                .getMessage();
    }
}
