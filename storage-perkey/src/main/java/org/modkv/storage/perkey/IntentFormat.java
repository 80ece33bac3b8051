package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.CRC32C;
import org.modkv.api.storage.WriteBatch;

/**
 * The layout of one intent file: a group of batches with consecutive sequence numbers, written
 * and fsync'd as a whole before any key file changes.
 *
 * <pre>
 *   file   := header record{count}
 *   header := magic "MKVI":i32  version:u8  reserved:3  count:i32  firstSequence:i64  crc:i32
 *   record := sequence:i64  length:i32  crc:i32  batch
 * </pre>
 * (big-endian). The header CRC32C covers the header's first 20 bytes; a record's CRC32C covers
 * its sequence, its length and the batch, which is the {@link WriteBatch} encoding as it is.
 * Record {@code i} has sequence {@code firstSequence + i}. The file is named after its first
 * sequence, zero-padded to 20 digits so names sort in sequence order:
 * {@code intents/00000000000000000042.intent}.
 *
 * <p>A group is all or nothing: a file with fewer valid records than its header promises is
 * damaged as a whole ({@link Damaged}).
 */
final class IntentFormat {
    static final int MAGIC = 0x4d4b5649;
    static final byte VERSION = 1;
    static final int HEADER_BYTES = 24;
    static final int RECORD_HEADER_BYTES = 16;
    static final String SUFFIX = ".intent";

    private IntentFormat() {
    }

    /** A decoded intent file. */
    record Group(Path path, long firstSequence, List<WriteBatch> batches) {
        long lastSequence() {
            return firstSequence + batches.size() - 1;
        }
    }

    /** An intent file that does not decode: where and why. */
    static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;
        final long offset;

        Damaged(Path path, long offset, String reason) {
            super("intent file " + path + " is damaged at byte offset " + offset + ": " + reason);
            this.offset = offset;
        }
    }

    static String fileName(long firstSequence) {
        return String.format("%020d", firstSequence) + SUFFIX;
    }

    /** The first sequence named by an intent file name, or empty if it is not one. */
    static OptionalLong parseFileName(String name) {
        if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return OptionalLong.empty();
        }
        String digits = name.substring(0, 20);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    static ByteBuffer header(long firstSequence, int count) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).put(VERSION).put((byte) 0).putShort((short) 0).putInt(count).putLong(firstSequence);
        header.putInt(crc(header.array(), 0, HEADER_BYTES - 4, null, 0, 0)).flip();
        return header;
    }

    static ByteBuffer recordHeader(long sequence, byte[] batch, int length) {
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
        header.putLong(sequence).putInt(length);
        header.putInt(crc(header.array(), 0, 12, batch, 0, length)).flip();
        return header;
    }

    /**
     * Decodes a whole intent file.
     *
     * @throws Damaged if anything is short, out of place or fails its checksum
     */
    static Group decode(Path path, long namedSequence, byte[] bytes) throws Damaged {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER_BYTES) {
            throw new Damaged(path, 0, "the file has " + bytes.length + " bytes, fewer than the header");
        }
        if (in.getInt(0) != MAGIC) {
            throw new Damaged(path, 0, "bad magic number");
        }
        if (in.get(4) != VERSION) {
            throw new Damaged(path, 4, "unknown intent format version " + in.get(4));
        }
        if (in.getInt(HEADER_BYTES - 4) != crc(bytes, 0, HEADER_BYTES - 4, null, 0, 0)) {
            throw new Damaged(path, HEADER_BYTES - 4, "header checksum mismatch");
        }
        int count = in.getInt(8);
        long firstSequence = in.getLong(12);
        if (count <= 0 || firstSequence != namedSequence) {
            throw new Damaged(path, 8, "header says " + count + " batches from sequence " + firstSequence
                    + " but the file is named for sequence " + namedSequence);
        }
        List<WriteBatch> batches = new ArrayList<>(count);
        int p = HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            if (bytes.length - p < RECORD_HEADER_BYTES) {
                throw new Damaged(path, p, "batch " + (i + 1) + " of " + count + " is missing (file ends)");
            }
            long sequence = in.getLong(p);
            int length = in.getInt(p + 8);
            if (sequence != firstSequence + i || length < 0 || length > bytes.length - p - RECORD_HEADER_BYTES) {
                throw new Damaged(path, p, "batch " + (i + 1) + " of " + count + " has a bad sequence or length");
            }
            int start = p + RECORD_HEADER_BYTES;
            int expected = in.getInt(p + 12);
            ByteBuffer recordHeader = ByteBuffer.allocate(12).putLong(sequence).putInt(length);
            if (expected != crc(recordHeader.array(), 0, 12, bytes, start, length)) {
                throw new Damaged(path, p, "checksum mismatch in batch " + (i + 1) + " of " + count);
            }
            try {
                batches.add(WriteBatch.decode(bytes, start, length));
            } catch (IllegalArgumentException e) {
                throw new Damaged(path, start, "batch " + (i + 1) + " is not a valid batch encoding: " + e.getMessage());
            }
            p = start + length;
        }
        if (p != bytes.length) {
            throw new Damaged(path, p, (bytes.length - p) + " unexpected bytes after the last batch");
        }
        return new Group(path, firstSequence, batches);
    }

    private static int crc(byte[] head, int offset, int length, byte[] body, int bodyOffset, int bodyLength) {
        CRC32C crc = new CRC32C();
        crc.update(head, offset, length);
        if (body != null) {
            crc.update(body, bodyOffset, bodyLength);
        }
        return (int) crc.getValue();
    }
}
