package org.modkv.storage.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.modkv.api.storage.WriteBatch;

/**
 * The layout of one log record (DESIGN section 4), big-endian:
 * <pre>
 *   offset 0   length:i32   bytes that follow the checksum (type + payload)
 *   offset 4   crc32c:i32   CRC32C over type + payload
 *   offset 8   type:u8      1 = write
 *   offset 9   payload      for a write: sequence:i64, then the WriteBatch encoding
 * </pre>
 * A batch is one record, so a crash leaves it wholly present or wholly absent. Records are
 * built in one {@code byte[]} "frame" that starts with the length field; value offsets in the
 * key directory are frame offsets plus positions in that array.
 */
final class WalRecordFormat {
    static final int LENGTH_OFFSET = 0;
    static final int CRC_OFFSET = 4;
    static final int TYPE_OFFSET = 8;
    static final int SEQUENCE_OFFSET = 9;
    static final int BATCH_OFFSET = 17;

    /** Bytes before the part that {@code length} counts and the checksum covers. */
    static final int UNCOUNTED_BYTES = TYPE_OFFSET;

    static final byte TYPE_WRITE = 1;

    /** Smallest valid {@code length}: type and sequence of a write with an empty batch. */
    static final int MIN_LENGTH = BATCH_OFFSET - TYPE_OFFSET;

    /** Largest batch encoding one record holds. */
    static final int MAX_BATCH_BYTES = 1 << 30;

    static final int MAX_LENGTH = MIN_LENGTH + MAX_BATCH_BYTES;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private WalRecordFormat() {
    }

    /**
     * A write frame holding a copy of {@code batch}; its sequence and checksum are filled in
     * later by {@link #seal}.
     */
    static byte[] newWriteFrame(WriteBatch batch) {
        int batchLength = batch.encodedLength();
        if (batchLength > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("batch of " + batchLength + " bytes exceeds " + MAX_BATCH_BYTES);
        }
        byte[] frame = new byte[BATCH_OFFSET + batchLength];
        System.arraycopy(batch.encodedBuffer(), 0, frame, BATCH_OFFSET, batchLength);
        INT.set(frame, LENGTH_OFFSET, frame.length - UNCOUNTED_BYTES);
        frame[TYPE_OFFSET] = TYPE_WRITE;
        return frame;
    }

    /** Writes {@code sequence} into a write frame and then its checksum. */
    static void seal(byte[] frame, long sequence) {
        LONG.set(frame, SEQUENCE_OFFSET, sequence);
        CRC32C crc = new CRC32C();
        crc.update(frame, TYPE_OFFSET, frame.length - TYPE_OFFSET);
        INT.set(frame, CRC_OFFSET, (int) crc.getValue());
    }

    /** Total bytes on disk of a record whose length field is {@code length}. */
    static long recordBytes(int length) {
        return (long) UNCOUNTED_BYTES + length;
    }

    static long sequence(byte[] frame) {
        return (long) LONG.get(frame, SEQUENCE_OFFSET);
    }

    /** Checksum of the {@code length} bytes at {@code offset} (absolute) of {@code buffer}. */
    static int checksum(ByteBuffer buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(offset, length));
        return (int) crc.getValue();
    }
}
