package org.modkv.replication.quorum.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The opaque context's encoding: round trips, compactness, and a clear refusal of every malformed input. */
class ContextCodecTest {
    @Test
    void roundTripsRandomContextsAndStaysCompact() {
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
            StateHistory history = new StateHistory(random, 1 + random.nextInt(30));
            VersionVector context = history.any(random).context();
            assertEquals(context, ContextCodec.decode(ContextCodec.encode(context)));
        }
        VersionVector three = VersionVector.of(Map.of("n1", 1000L, "n2", 17L, "n3", 1L));
        assertTrue(ContextCodec.encode(three).length <= 16, "three nodes fit in 16 bytes");
        assertEquals("0100", HexFormat.of().formatHex(ContextCodec.encode(VersionVector.empty())));
    }

    @Test
    void refusesEveryKindOfMalformedContextSayingWhatAndWhere() {
        assertError("malformed context (0 bytes): ends before its format version at byte 0", "");
        assertError("malformed context (2 bytes): format version 2 is not supported, this node reads version 1", "0200");
        assertError("malformed context (1 bytes): ends inside its entry count at byte 1", "01");
        assertError("malformed context (3 bytes): has entry count 1025, allowed 0..1024 at byte 1", "018108");
        assertError("malformed context (4 bytes): ends inside its node id (2 bytes announced, 1 left) at byte 3",
                "0101026e");
        assertError("malformed context (5 bytes): has counter of a 0, allowed 1..9223372036854775807 at byte 4",
                "0101016100");
        assertError("malformed context (4 bytes): ends inside its counter of a at byte 4", "01010161");
        assertError("malformed context: node id \"a\" at byte 5 is not after \"b\" (ids are unique and sorted)",
                "010201620101610101");
        assertError("malformed context (6 bytes): has 1 unexpected bytes after its end at byte 5", "010101610500");
        assertError("malformed context (4 bytes): has node id length 0, allowed 1..255 at byte 2", "01010001");
        assertError("malformed context (5 bytes): has a node id that is not UTF-8 at byte 3", "010101ff01");
        assertError("malformed context (15 bytes): has a counter of a longer than 10 bytes at byte 4",
                "01010161ffffffffffffffffffff01");
    }

    @Test
    void neverDecodesTruncationsOrBitFlipsOfAValidContextIntoSomethingElseSilently() {
        byte[] valid = ContextCodec.encode(VersionVector.of(Map.of("alpha", 300L, "beta", 2L)));
        for (int cut = 0; cut < valid.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(valid, cut);
            assertThrows(IllegalArgumentException.class, () -> ContextCodec.decode(truncated), "cut at " + cut);
        }
    }

    private static void assertError(String message, String hex) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContextCodec.decode(HexFormat.of().parseHex(hex)));
        assertEquals(message, e.getMessage());
    }
}
