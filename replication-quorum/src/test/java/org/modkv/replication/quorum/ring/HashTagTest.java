package org.modkv.replication.quorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Redis Cluster's hash-tag rule, case by case. */
class HashTagTest {
    private static String hashed(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        return new String(b, HashTag.start(b), HashTag.end(b) - HashTag.start(b), StandardCharsets.UTF_8);
    }

    @Test
    void hashesOnlyTheFirstNonEmptyTag() {
        assertEquals("user1", hashed("{user1}:a"));
        assertEquals("user1", hashed("x{user1}y{user2}"));
        assertEquals("b", hashed("a{b}{c}"));
        assertEquals("{b", hashed("a{{b}"));
    }

    @Test
    void hashesTheWholeKeyWithoutAUsableTag() {
        assertEquals("plain", hashed("plain"));
        assertEquals("{}x", hashed("{}x"));
        assertEquals("{}{x}", hashed("{}{x}"));
        assertEquals("x{", hashed("x{"));
        assertEquals("}x{", hashed("}x{"));
        assertEquals("", hashed(""));
    }

    @Test
    void keysWithOneTagShareAPosition() {
        assertEquals(HashTag.position(bytes("{user1}:a")), HashTag.position(bytes("{user1}:b")));
        assertEquals(HashTag.position(bytes("user1")), HashTag.position(bytes("{user1}:b")));
        assertNotEquals(HashTag.position(bytes("{user1}:a")), HashTag.position(bytes("{user2}:a")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
