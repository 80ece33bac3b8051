package org.modkv.api.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CheckpointReaderTest {
    private static byte[] checkpoint(boolean terminated, String... keysAndValues) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(SnapshotFormat.MAGIC);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            byte[] key = keysAndValues[i].getBytes(StandardCharsets.UTF_8);
            byte[] value = keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8);
            out.writeInt(key.length);
            out.writeInt(value.length);
            out.writeInt(1);
            out.write(key);
            out.write(value);
            out.write(7);
        }
        if (terminated) {
            out.writeInt(-1);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsEveryRecordThenNullAfterTheTerminator() throws IOException {
        CheckpointReader reader = CheckpointReader.open(new ByteArrayInputStream(checkpoint(true, "a", "1", "b", "22")));
        StoredRecord first = reader.next();
        assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), first.key());
        assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), first.value());
        assertArrayEquals(new byte[] {7}, first.metadata());
        assertArrayEquals("22".getBytes(StandardCharsets.UTF_8), reader.next().value());
        assertNull(reader.next());
        assertNull(reader.next());
    }

    @Test
    void aWrongHeaderIsRefusedBeforeAnyRecord() {
        IOException e = assertThrows(IOException.class,
                () -> CheckpointReader.open(new ByteArrayInputStream(new byte[] {1, 2, 3, 4})));
        assertTrue(e.getMessage().contains("not a modkv checkpoint"), e.getMessage());
    }

    @Test
    void aMissingTerminatorOrACutRecordIsCalledTruncated() throws IOException {
        CheckpointReader unterminated = CheckpointReader.open(new ByteArrayInputStream(checkpoint(false, "a", "1")));
        unterminated.next();
        assertTrue(assertThrows(IOException.class, unterminated::next).getMessage().contains("no terminator"));
        byte[] whole = checkpoint(true, "key", "value");
        CheckpointReader cut = CheckpointReader.open(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 8)));
        assertEquals("checkpoint is truncated inside a record", assertThrows(IOException.class, cut::next).getMessage());
    }
}
