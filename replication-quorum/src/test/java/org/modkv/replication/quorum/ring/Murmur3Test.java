package org.modkv.replication.quorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Reference vectors: the first 64 bits of murmur3_x64_128 as Guava's
 * {@code Hashing.murmur3_128(seed).hashBytes(b).asLong()} computes them (checked once against
 * Guava 33.5 when this class was written). Covers the empty input, the tail cases (1, 2, 9+
 * bytes), exactly one block and one block plus a tail. Any change here moves keys on a live ring.
 */
class Murmur3Test {
    private static long hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Murmur3.hash64(b, 0, b.length, 0);
    }

    @Test
    void matchesReferenceVectors() {
        assertEquals(0L, hash(""));
        assertEquals(0x85555565f6597889L, hash("a"));
        assertEquals(0x938b11ea16ed1b2eL, hash("ab"));
        assertEquals(0xe34bbc7bbc071b6cL, hash("The quick brown fox jumps over the lazy dog"));
        assertEquals(0x4be06d94cf4ad1a7L, hash("0123456789abcdef"));
        assertEquals(0xcdebd2acb570d6f7L, hash("0123456789abcdefX"));
        assertEquals(0xe80650ff29ff6ae0L, hash("user1"));
        assertEquals(0xe22388c07b9506f0L, hash("node-3#17"));
    }

    @Test
    void hashesASliceLikeTheSameBytesAlone() {
        byte[] framed = "xx{user1}yy".getBytes(StandardCharsets.UTF_8);
        assertEquals(hash("user1"), Murmur3.hash64(framed, 3, 5, 0));
    }

    @Test
    void refusesARangeOutsideTheArray() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Murmur3.hash64(new byte[4], 2, 3, 0));
        assertEquals("range [2, 2+3) is outside an array of 4 bytes", e.getMessage());
    }
}
