package org.modkv.storage.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.modkv.api.storage.WriteBatch;

/**
 * The layout of one record in every file this engine writes (docs/design/write-path.md), big-endian:
 * <pre>
 *   offset 0   length:i32   bytes that follow the checksum (type + payload)
 *   offset 4   crc32c:i32   CRC32C over type + payload
 *   offset 8   type:u8
 *   offset 9   word:i64     meaning depends on the type (below)
 *   offset 17  body
 * </pre>
 * Types:
 * <ul>
 *   <li>{@link #TYPE_WRITE} (segments {@code .wal} and merge outputs {@code .merged}): word is
 *       the batch's sequence number, body is the {@link WriteBatch} encoding. This is the
 *       version-1 record, unchanged: a batch is one record, so a crash leaves it wholly present
 *       or wholly absent.
 *   <li>{@link #TYPE_MERGE_INFO} (first record of a {@code .merged} file): word is the highest
 *       sequence number of the files it replaced, so a restart never goes backwards even when
 *       the newest entries were dropped by the merge; no body.
 *   <li>{@link #TYPE_LOG_ENTRY} (durable log files {@code .log}): word is the entry's index,
 *       body is the entry.
 *   <li>{@link #TYPE_HINT} (hint files {@code .hint}): word is the number of hint entries in
 *       the body; see {@link HintFile}.
 * </ul>
 * A key directory location names the byte offset of one batch <em>entry</em> inside a record
 * ({@code type keyLength valueLength metadataLength key value metadata}), so a point read is
 * one positional read of exactly that entry. The record's checksum cannot be checked without
 * reading the whole record, so the key directory also keeps each entry's own CRC32C
 * ({@link EntryChecksum}), against which every read checks the entry it read (see
 * {@code docs/design/integrity.md}).
 */
final class WalRecordFormat {
    static final int LENGTH_OFFSET = 0;
    static final int CRC_OFFSET = 4;
    static final int TYPE_OFFSET = 8;
    static final int WORD_OFFSET = 9;
    static final int SEQUENCE_OFFSET = WORD_OFFSET;
    static final int BODY_OFFSET = 17;
    static final int BATCH_OFFSET = BODY_OFFSET;

    /** Bytes before the part that {@code length} counts and the checksum covers. */
    static final int UNCOUNTED_BYTES = TYPE_OFFSET;
    /** Bytes of a record before its body. */
    static final int HEADER_BYTES = BODY_OFFSET;

    static final byte TYPE_WRITE = 1;
    static final byte TYPE_MERGE_INFO = 2;
    static final byte TYPE_LOG_ENTRY = 3;
    static final byte TYPE_HINT = 4;

    /** Smallest valid {@code length}: a type and a word with no body. */
    static final int MIN_LENGTH = BODY_OFFSET - TYPE_OFFSET;

    /** Largest body one record holds. */
    static final int MAX_BATCH_BYTES = 1 << 30;

    static final int MAX_LENGTH = MIN_LENGTH + MAX_BATCH_BYTES;

    /** Largest key: keys live in memory (the key directory), so they are kept small. */
    static final int MAX_KEY_BYTES = 64 * 1024;

    /** Bytes of the header of one batch entry. */
    static final int ENTRY_HEADER_BYTES = WriteBatch.ENTRY_HEADER_BYTES;

    private WalRecordFormat() {
    }

    /** Total bytes on disk of a record whose length field is {@code length}. */
    static long recordBytes(int length) {
        return (long) UNCOUNTED_BYTES + length;
    }

    /**
     * Fills in length and checksum of the record of {@code recordBytes} bytes at
     * {@code offset} of {@code buffer}, whose type, word and body are already in place.
     * Uses {@code view} (a duplicate of {@code buffer} owned by the caller) for the checksum,
     * so it does not allocate.
     */
    static void seal(ByteBuffer buffer, ByteBuffer view, int offset, int recordBytes, CRC32C crc) {
        int length = recordBytes - UNCOUNTED_BYTES;
        buffer.putInt(offset + LENGTH_OFFSET, length);
        buffer.putInt(offset + CRC_OFFSET, checksum(view, offset + TYPE_OFFSET, length, crc));
    }

    /** CRC32C of {@code buffer[offset, offset + length)}; moves {@code buffer}'s position and limit. */
    static int checksum(ByteBuffer buffer, int offset, int length, CRC32C crc) {
        buffer.clear();
        buffer.limit(offset + length);
        buffer.position(offset);
        crc.reset();
        crc.update(buffer);
        return (int) crc.getValue();
    }

    /** CRC32C of {@code bytes[offset, offset + length)}. */
    static int checksum(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** A complete record in a new array (for the slow paths: large batches, merge info, log entries). */
    static byte[] newRecord(byte type, long word, byte[] body, int bodyOffset, int bodyLength) {
        if (bodyLength > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("record body of " + bodyLength + " bytes exceeds " + MAX_BATCH_BYTES);
        }
        byte[] record = new byte[HEADER_BYTES + bodyLength];
        ByteBuffer buffer = ByteBuffer.wrap(record);
        buffer.putInt(LENGTH_OFFSET, record.length - UNCOUNTED_BYTES);
        buffer.put(TYPE_OFFSET, type);
        buffer.putLong(WORD_OFFSET, word);
        System.arraycopy(body, bodyOffset, record, BODY_OFFSET, bodyLength);
        buffer.putInt(CRC_OFFSET, checksum(record, TYPE_OFFSET, record.length - TYPE_OFFSET));
        return record;
    }
}
