package org.modkv.storage.wal;

import static org.modkv.storage.wal.WalRecordFormat.CRC_OFFSET;
import static org.modkv.storage.wal.WalRecordFormat.MAX_LENGTH;
import static org.modkv.storage.wal.WalRecordFormat.MIN_LENGTH;
import static org.modkv.storage.wal.WalRecordFormat.SEQUENCE_OFFSET;
import static org.modkv.storage.wal.WalRecordFormat.TYPE_OFFSET;
import static org.modkv.storage.wal.WalRecordFormat.TYPE_WRITE;
import static org.modkv.storage.wal.WalRecordFormat.UNCOUNTED_BYTES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.modkv.api.storage.WriteBatch;

/**
 * Reads the records of one segment file at open and tells a torn tail from corruption.
 *
 * <p>A crash can leave the end of the last segment damaged: a record cut short, a length
 * field that points past the end of the file, garbage or zeros in place of a record whose
 * pages never reached the disk. None of those was acknowledged (an acknowledged record was
 * fsync'd, and everything before it with it), so the damaged tail is cut off. Damage anywhere
 * else means bytes that were once durable have changed, and starting would silently lose or
 * invent data. The two are told apart by what follows the first damaged record:
 * <ul>
 *   <li>in a segment that is not the last one, nothing may be damaged: the log fsyncs a
 *       segment before it creates the next;
 *   <li>in the last segment, the bytes after the damaged record are searched at every offset
 *       for an intact record (sane length that fits the file, write type, a sequence number
 *       beyond the last good one, matching CRC32C). If one exists, the damage is in the
 *       middle of the log: corruption. If none does, the damage is the tail: torn.
 * </ul>
 * A record whose checksum matches but whose content is wrong (unknown type, sequence number
 * not increasing, malformed batch) was written that way and is always corruption.
 *
 * <p>The search is linear in the bytes after the damage times the cost of the rare candidate
 * whose header looks valid; it only runs on the error path.
 */
final class SegmentReplay {

    /** Receives each good record, in order. The frame array is reused after the call. */
    @FunctionalInterface
    interface RecordSink {
        void accept(byte[] frame, int frameLength, WalSegment segment, long recordOffset);
    }

    /**
     * What replay found.
     *
     * @param validBytes bytes of good records from the start of the file
     * @param lastSequence sequence number of the last good record (or the one passed in)
     * @param tornReason why the bytes from {@code validBytes} on are a torn tail, or
     *     {@code null} if the file ends cleanly
     */
    record Outcome(long validBytes, long lastSequence, String tornReason) {
        boolean torn() {
            return tornReason != null;
        }
    }

    private SegmentReplay() {
    }

    /**
     * Replays {@code segment}, whose records must follow sequence number
     * {@code previousSequence}.
     *
     * @throws IOException if the segment is corrupt; the message names file and offset
     */
    static Outcome replay(WalSegment segment, boolean lastSegment, long previousSequence, RecordSink sink)
            throws IOException {
        FileChannel channel = segment.channel();
        long fileSize = channel.size();
        if (fileSize > Integer.MAX_VALUE) {
            throw corrupt(segment, 0, "the file is " + fileSize + " bytes, larger than any segment this engine writes");
        }
        int limit = (int) fileSize;
        ByteBuffer file = limit == 0 ? ByteBuffer.allocate(0) : channel.map(FileChannel.MapMode.READ_ONLY, 0, limit);
        long sequence = previousSequence;
        byte[] frame = new byte[4096];
        int p = 0;
        while (p < limit) {
            String damage = damage(file, p, limit);
            if (damage != null) {
                if (!lastSegment) {
                    throw corrupt(segment, p, damage + "; later segments follow this one, so this is not a write "
                            + "torn by a crash");
                }
                int next = findIntactRecord(file, p + 1, limit, sequence);
                if (next >= 0) {
                    throw corrupt(segment, p, damage + "; an intact record follows at byte offset " + next
                            + ", so this is not a write torn by a crash");
                }
                return new Outcome(p, sequence, damage);
            }
            int frameLength = (int) WalRecordFormat.recordBytes(file.getInt(p));
            if (frame.length < frameLength) {
                frame = new byte[frameLength];
            }
            file.get(p, frame, 0, frameLength);
            String invalid = invalid(frame, frameLength, sequence);
            if (invalid != null) {
                throw corrupt(segment, p, invalid);
            }
            sequence = WalRecordFormat.sequence(frame);
            sink.accept(frame, frameLength, segment, p);
            p += frameLength;
        }
        return new Outcome(limit, sequence, null);
    }

    /** Why the record at {@code p} is not intact, or {@code null} if it is. */
    private static String damage(ByteBuffer file, int p, int limit) {
        int left = limit - p;
        if (left < UNCOUNTED_BYTES + MIN_LENGTH) {
            return "only " + left + " bytes remain, too few for a record";
        }
        int length = file.getInt(p);
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return "record length " + length + " is outside " + MIN_LENGTH + ".." + MAX_LENGTH;
        }
        if (length > left - UNCOUNTED_BYTES) {
            return "record length " + length + " runs past the end of the file (" + (left - UNCOUNTED_BYTES)
                    + " bytes left)";
        }
        int stored = file.getInt(p + CRC_OFFSET);
        int computed = WalRecordFormat.checksum(file, p + TYPE_OFFSET, length);
        if (stored != computed) {
            return String.format("checksum mismatch (stored %08x, computed %08x)", stored, computed);
        }
        return null;
    }

    /** Why an intact (checksummed) record cannot be applied, or {@code null} if it can. */
    private static String invalid(byte[] frame, int frameLength, long previousSequence) {
        if (frame[TYPE_OFFSET] != TYPE_WRITE) {
            return "unknown record type " + frame[TYPE_OFFSET] + " (written by a newer version?)";
        }
        long sequence = WalRecordFormat.sequence(frame);
        if (sequence <= previousSequence) {
            return "sequence number " + sequence + " does not follow " + previousSequence;
        }
        try {
            WriteBatch.validate(frame, WalRecordFormat.BATCH_OFFSET, frameLength - WalRecordFormat.BATCH_OFFSET);
        } catch (IllegalArgumentException e) {
            return "the record's batch is malformed: " + e.getMessage();
        }
        return null;
    }

    /** Offset of the first intact record at or after {@code from}, or -1. */
    private static int findIntactRecord(ByteBuffer file, int from, int limit, long afterSequence) {
        for (int q = from; q <= limit - (UNCOUNTED_BYTES + MIN_LENGTH); q++) {
            if (file.get(q + TYPE_OFFSET) != TYPE_WRITE) {
                continue;
            }
            int length = file.getInt(q);
            if (length < MIN_LENGTH || length > limit - q - UNCOUNTED_BYTES) {
                continue;
            }
            if (file.getLong(q + SEQUENCE_OFFSET) <= afterSequence) {
                continue;
            }
            if (file.getInt(q + CRC_OFFSET) == WalRecordFormat.checksum(file, q + TYPE_OFFSET, length)) {
                return q;
            }
        }
        return -1;
    }

    static IOException corrupt(WalSegment segment, long offset, String why) {
        return new IOException("write-ahead log segment " + segment.path() + " is corrupt at byte offset " + offset
                + ": " + why + ". The data is corrupt and the node will not start: restore this node's data "
                + "directory from a backup or rebuild it from a replica.");
    }
}
