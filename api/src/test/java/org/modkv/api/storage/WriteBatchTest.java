package org.modkv.api.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WriteBatchTest {

    @Test
    void encodesAndDecodesEveryKindOfEntry() {
        byte[] binaryKey = new byte[256];
        for (int i = 0; i < 256; i++) {
            binaryKey[i] = (byte) i;
        }
        WriteBatch batch = new WriteBatch(16)
                .put(new byte[0], new byte[0])
                .put(binaryKey, new byte[100_000], new byte[] {7, 8})
                .delete("gone".getBytes());
        WriteBatch decoded = WriteBatch.decode(batch.encodedBuffer(), 0, batch.encodedLength());
        assertEquals(3, decoded.size());
        assertEquals(batch.mutations(), decoded.mutations());
        Mutation second = decoded.mutations().get(1);
        assertArrayEquals(binaryKey, second.key());
        assertArrayEquals(new byte[] {7, 8}, second.metadata());
        assertEquals(MutationType.DELETE, decoded.mutations().get(2).type());
    }

    @Test
    void clearKeepsTheBufferForReuse() {
        WriteBatch batch = new WriteBatch(16).put(new byte[10], new byte[1000]);
        byte[] grown = batch.encodedBuffer();
        batch.clear().put(new byte[5], new byte[500]);
        assertEquals(1, batch.size());
        assertTrue(grown == batch.encodedBuffer(), "buffer was reallocated");
    }

    @Test
    void copyIsIndependent() {
        WriteBatch batch = new WriteBatch().put("a".getBytes(), "1".getBytes());
        WriteBatch copy = batch.copy();
        batch.clear().put("b".getBytes(), "2".getBytes());
        assertEquals(List.of(Mutation.put("a".getBytes(), "1".getBytes())), copy.mutations());
    }

    @Test
    void decodeRejectsEveryTruncation() {
        WriteBatch batch = new WriteBatch().put("key".getBytes(), "value".getBytes()).delete("k2".getBytes());
        byte[] bytes = Arrays.copyOf(batch.encodedBuffer(), batch.encodedLength());
        int firstEntryEnd = WriteBatch.ENTRY_HEADER_BYTES + 3 + 5;
        for (int cut = 1; cut < bytes.length; cut++) {
            if (cut == firstEntryEnd) {
                assertEquals(1, WriteBatch.validate(bytes, 0, cut));
                continue;
            }
            int length = cut;
            assertThrows(IllegalArgumentException.class, () -> WriteBatch.validate(bytes, 0, length), "cut " + cut);
        }
    }

    @Test
    void decodeRejectsRandomGarbageWithoutOverrunning() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            try {
                WriteBatch.validate(garbage, 0, garbage.length);
            } catch (IllegalArgumentException expected) {
                // the only allowed failure
            }
        }
    }

    @Test
    void deleteCannotCarryAValue() {
        assertThrows(IllegalArgumentException.class, () -> new WriteBatch().add(MutationType.DELETE,
                new byte[1], 0, 1, new byte[1], 0, 1, null, 0, 0));
    }
}
