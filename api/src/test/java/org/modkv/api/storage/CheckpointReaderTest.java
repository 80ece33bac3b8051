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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class CheckpointReaderTest {
    /** Bytes of the magic number and the first record's three lengths. */
    private static final int FIRST_KEY_AT = 4 + 12;

    private static byte[] checkpoint(boolean terminated, String... keysAndValues) throws IOException {
        return checkpoint(SnapshotFormat.MAGIC, terminated, keysAndValues);
    }

    private static byte[] checkpoint(int magic, boolean terminated, String... keysAndValues) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            byte[] key = keysAndValues[i].getBytes(StandardCharsets.UTF_8);
            byte[] value = keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8);
            byte[] metadata = {7};
            ByteBuffer record = ByteBuffer.allocate(12 + key.length + value.length + metadata.length);
            record.putInt(key.length).putInt(value.length).putInt(metadata.length).put(key).put(value).put(metadata);
            out.write(record.array());
            if (magic == SnapshotFormat.MAGIC) {
                CRC32C crc = new CRC32C();
                crc.update(record.array());
                out.writeInt((int) crc.getValue());
            }
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
    void readsVersionOneCheckpointsWithoutChecksums() throws IOException {
        CheckpointReader reader = CheckpointReader.open(new ByteArrayInputStream(
                checkpoint(SnapshotFormat.MAGIC_V1, true, "a", "1", "b", "22")));
        assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), reader.next().value());
        assertArrayEquals("22".getBytes(StandardCharsets.UTF_8), reader.next().value());
        assertNull(reader.next());
    }

    @Test
    void aWrongHeaderIsRefusedBeforeAnyRecord() {
        IOException e = assertThrows(CorruptDataException.class,
                () -> CheckpointReader.open(new ByteArrayInputStream(new byte[] {1, 2, 3, 4})));
        assertTrue(e.getMessage().contains("not a modkv checkpoint"), e.getMessage());
    }

    @Test
    void aMissingTerminatorOrACutRecordIsCalledTruncated() throws IOException {
        CheckpointReader unterminated = CheckpointReader.open(new ByteArrayInputStream(checkpoint(false, "a", "1")));
        unterminated.next();
        assertTrue(assertThrows(CorruptDataException.class, unterminated::next).getMessage().contains("no terminator"));
        byte[] whole = checkpoint(true, "key", "value");
        CheckpointReader cut = CheckpointReader.open(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 12)));
        assertTrue(assertThrows(CorruptDataException.class, cut::next).getMessage()
                .contains("truncated inside record 1"));
    }

    @Test
    void aFlippedBitInARecordIsRefusedWithItsOffsetAndNoRecordComesBack() throws IOException {
        byte[] bytes = checkpoint(true, "a", "1", "key", "value");
        int secondRecord = FIRST_KEY_AT + 3 + 4; // "a", "1", metadata, checksum
        int secondValue = secondRecord + 12 + 3;
        bytes[secondValue + 2] ^= 0x10;
        CheckpointReader reader = CheckpointReader.open(new ByteArrayInputStream(bytes));
        assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), reader.next().value());
        CorruptDataException e = assertThrows(CorruptDataException.class, reader::next);
        assertEquals(secondRecord, e.offset());
        assertTrue(e.getMessage().contains("byte offset " + secondRecord) && e.getMessage().contains("checksum"),
                e.getMessage());
        assertThrows(CorruptDataException.class, () -> CheckpointReader.verify(new ByteArrayInputStream(bytes)));
    }

    @Test
    void verifyCountsTheRecordsOfAnIntactCheckpoint() throws IOException {
        assertEquals(2, CheckpointReader.verify(new ByteArrayInputStream(checkpoint(true, "a", "1", "b", "22"))));
    }
}
