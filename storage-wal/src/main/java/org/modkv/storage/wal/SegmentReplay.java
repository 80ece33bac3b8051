package org.modkv.storage.wal;

import static org.modkv.storage.wal.WalRecordFormat.CRC_OFFSET;
import static org.modkv.storage.wal.WalRecordFormat.MAX_LENGTH;
import static org.modkv.storage.wal.WalRecordFormat.MIN_LENGTH;
import static org.modkv.storage.wal.WalRecordFormat.TYPE_OFFSET;
import static org.modkv.storage.wal.WalRecordFormat.UNCOUNTED_BYTES;
import static org.modkv.storage.wal.WalRecordFormat.WORD_OFFSET;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.modkv.api.storage.CorruptDataException;
import org.modkv.api.storage.MutationType;

/**
 * Reads the records of one file at open and tells a torn tail from corruption.
 *
 * <p>A crash can leave the end of the file being appended damaged: a record cut short, a
 * length field that points past the end of the file, garbage or zeros in place of a record
 * whose pages never reached the disk. None of those was acknowledged (an acknowledged record
 * was fsync'd, and everything before it with it), so the damaged tail is cut off. Damage
 * anywhere else means bytes that were once durable have changed, and starting would silently
 * lose or invent data. The two are told apart by what follows the first damaged record:
 * <ul>
 *   <li>in a file that was not being appended to (a sealed segment, a merge output), nothing
 *       may be damaged: a segment is fsync'd before the next one is created, a merge output
 *       before it gets its name;
 *   <li>in the file being appended to, the bytes after the damaged record are searched at every
 *       offset for an intact record (sane length that fits the file, the expected type, a word
 *       beyond the last good one, matching CRC32C). If one exists, the damage is in the middle
 *       of the log: corruption. If none does, the damage is the tail: torn.
 *   <li>a segment file whose records are followed only by zeros was prepared ahead of time
 *       ({@link SegmentPreparer}) and was being filled: its records end there, cleanly.
 * </ul>
 * A record whose checksum matches but whose content is wrong (unknown type, sequence number
 * not increasing, malformed batch) was written that way and is always corruption.
 *
 * <p>The file is memory-mapped for the replay and unmapped after it; the sink reads the
 * records in place, without copying.
 */
final class SegmentReplay {

    /** What a file may hold, by kind. */
    enum Rules {
        /** A log segment: write records with strictly increasing sequence numbers. */
        SEGMENT(WalRecordFormat.TYPE_WRITE),
        /** A merge output: a merge-info record, then write records in any sequence order. */
        MERGED(WalRecordFormat.TYPE_WRITE),
        /** A durable-log segment: entries with consecutive indexes. */
        LOG(WalRecordFormat.TYPE_LOG_ENTRY);

        final byte recordType;

        Rules(byte recordType) {
            this.recordType = recordType;
        }
    }

    /**
     * Receives each good record in order, in place: the bytes stay valid until
     * {@link #endOfFile()}, after which the file is unmapped.
     */
    @FunctionalInterface
    interface RecordSink {
        void accept(DirectBuffer file, int recordOffset, int recordBytes, long word) throws IOException;

        /** The last good record was passed; the file's bytes are about to go away. */
        default void endOfFile() throws IOException {
        }
    }

    /**
     * What replay found.
     *
     * @param validBytes bytes of good records from the start of the file
     * @param lastWord word (sequence number or index) of the last good record, or the one passed in
     * @param coveredSequence for a merge output: the highest sequence number of the files it replaced
     * @param tornReason why the bytes from {@code validBytes} on are a torn tail, or
     *     {@code null} if the file ends cleanly
     * @param zeroTail whether only zeros follow the records: a segment prepared ahead of time
     *     ({@link SegmentPreparer}) that was still being filled; a clean end, nothing to cut
     */
    record Outcome(long validBytes, long lastWord, long coveredSequence, String tornReason, boolean zeroTail) {
        boolean torn() {
            return tornReason != null;
        }
    }

    private SegmentReplay() {
    }

    /**
     * Replays {@code file}, whose records must follow {@code previousWord} (for
     * {@link Rules#MERGED}: ignored).
     *
     * @param mayBeTorn whether the file was being appended to when the engine stopped
     * @throws IOException if the file is corrupt; the message names file and offset
     */
    static Outcome replay(DataFile file, Rules rules, boolean mayBeTorn, long previousWord, RecordSink sink)
            throws IOException {
        FileChannel channel = file.mappable();
        long fileSize = channel.size();
        if (fileSize > Integer.MAX_VALUE) {
            throw corrupt(file, 0, "the file is " + fileSize + " bytes, larger than any file this engine writes");
        }
        int limit = (int) fileSize;
        if (limit == 0) {
            if (rules == Rules.MERGED) {
                throw corrupt(file, 0, "a merge output is empty");
            }
            return new Outcome(0, previousWord, 0, null, false);
        }
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, limit);
        try {
            return replay(file, rules, mayBeTorn, previousWord, sink, mapped, limit);
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    private static Outcome replay(DataFile file, Rules rules, boolean mayBeTorn, long previousWord, RecordSink sink,
                                  ByteBuffer mapped, int limit) throws IOException {
        UnsafeBuffer view = new UnsafeBuffer(mapped);
        ByteBuffer checksumView = mapped.duplicate();
        CRC32C crc = new CRC32C();
        long word = previousWord;
        long covered = 0;
        int p = 0;
        while (p < limit) {
            String damage = damage(view, checksumView, crc, p, limit);
            if (damage != null) {
                if (!mayBeTorn) {
                    throw corrupt(file, p, damage + (rules == Rules.MERGED
                            ? "; a merge output is complete before it gets its name"
                            : "; later segments follow this one") + ", so this is not a write torn by a crash");
                }
                if (rules == Rules.SEGMENT && allZero(view, p, limit)) {
                    sink.endOfFile();
                    return new Outcome(p, word, covered, null, true);
                }
                int next = findIntactRecord(view, checksumView, crc, p + 1, limit, rules.recordType, word);
                if (next >= 0) {
                    throw corrupt(file, p, damage + "; an intact record follows at byte offset " + next
                            + ", so this is not a write torn by a crash");
                }
                sink.endOfFile();
                return new Outcome(p, word, covered, damage, false);
            }
            int recordBytes = (int) WalRecordFormat.recordBytes(view.getInt(p, ByteOrder.BIG_ENDIAN));
            byte type = view.getByte(p + TYPE_OFFSET);
            long recordWord = view.getLong(p + WORD_OFFSET, ByteOrder.BIG_ENDIAN);
            if (rules == Rules.MERGED && p == 0) {
                if (type != WalRecordFormat.TYPE_MERGE_INFO) {
                    throw corrupt(file, p, "a merge output does not start with its merge-info record");
                }
                covered = recordWord;
                p += recordBytes;
                continue;
            }
            String invalid = invalid(view, p, recordBytes, type, recordWord, rules, word);
            if (invalid != null) {
                throw corrupt(file, p, invalid);
            }
            word = rules == Rules.MERGED ? Math.max(word, recordWord) : recordWord;
            sink.accept(view, p, recordBytes, recordWord);
            p += recordBytes;
        }
        sink.endOfFile();
        return new Outcome(limit, word, covered, null, false);
    }

    /** Whether every byte of {@code [from, limit)} is zero. */
    static boolean allZero(UnsafeBuffer file, int from, int limit) {
        int p = from;
        for (; p < limit && (p & 7) != 0; p++) {
            if (file.getByte(p) != 0) {
                return false;
            }
        }
        for (; p + 8 <= limit; p += 8) {
            if (file.getLong(p) != 0) {
                return false;
            }
        }
        for (; p < limit; p++) {
            if (file.getByte(p) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Why the record at {@code p} is not intact, or {@code null} if it is. */
    static String damage(UnsafeBuffer file, ByteBuffer checksumView, CRC32C crc, int p, int limit) {
        int left = limit - p;
        if (left < UNCOUNTED_BYTES + MIN_LENGTH) {
            return "only " + left + " bytes remain, too few for a record";
        }
        int length = file.getInt(p, ByteOrder.BIG_ENDIAN);
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return "record length " + length + " is outside " + MIN_LENGTH + ".." + MAX_LENGTH;
        }
        if (length > left - UNCOUNTED_BYTES) {
            return "record length " + length + " runs past the end of the file (" + (left - UNCOUNTED_BYTES)
                    + " bytes left)";
        }
        int stored = file.getInt(p + CRC_OFFSET, ByteOrder.BIG_ENDIAN);
        int computed = WalRecordFormat.checksum(checksumView, p + TYPE_OFFSET, length, crc);
        if (stored != computed) {
            return String.format("checksum mismatch (stored %08x, computed %08x)", stored, computed);
        }
        return null;
    }

    /** Why an intact (checksummed) record cannot be applied, or {@code null} if it can. */
    static String invalid(UnsafeBuffer file, int p, int recordBytes, byte type, long word, Rules rules,
                                  long previousWord) {
        if (type != rules.recordType) {
            return "unexpected record type " + type + " (written by a newer version?)";
        }
        switch (rules) {
            case SEGMENT -> {
                if (word <= previousWord) {
                    return "sequence number " + word + " does not follow " + previousWord;
                }
            }
            case MERGED -> {
                if (word <= 0) {
                    return "sequence number " + word + " is not positive";
                }
            }
            case LOG -> {
                if (word != previousWord + 1) {
                    return "entry index " + word + " does not follow " + previousWord;
                }
                return null;
            }
            default -> throw new IllegalStateException();
        }
        return invalidBatch(file, p + WalRecordFormat.BATCH_OFFSET, recordBytes - WalRecordFormat.BATCH_OFFSET);
    }

    /** Why the batch encoding at {@code offset} is malformed, or {@code null}. */
    private static String invalidBatch(DirectBuffer buffer, int offset, int length) {
        int p = offset;
        int end = offset + length;
        while (p < end) {
            if (end - p < WalRecordFormat.ENTRY_HEADER_BYTES) {
                return "the record's batch is malformed: truncated entry header at byte " + (p - offset);
            }
            MutationType type = MutationType.fromCode(buffer.getByte(p));
            long keyLength = buffer.getInt(p + 1, ByteOrder.BIG_ENDIAN);
            long valueLength = buffer.getInt(p + 5, ByteOrder.BIG_ENDIAN);
            long metadataLength = buffer.getInt(p + 9, ByteOrder.BIG_ENDIAN);
            if (type == null) {
                return "the record's batch is malformed: unknown entry type " + buffer.getByte(p) + " at byte "
                        + (p - offset);
            }
            if (keyLength < 0 || valueLength < 0 || metadataLength < 0
                    || p + WalRecordFormat.ENTRY_HEADER_BYTES + keyLength + valueLength + metadataLength > end) {
                return "the record's batch is malformed: entry lengths overrun the batch at byte " + (p - offset);
            }
            if (keyLength > WalRecordFormat.MAX_KEY_BYTES) {
                return "the record's batch is malformed: a key of " + keyLength + " bytes at byte " + (p - offset);
            }
            if (type == MutationType.DELETE && valueLength != 0) {
                return "the record's batch is malformed: delete with a value at byte " + (p - offset);
            }
            p += (int) (WalRecordFormat.ENTRY_HEADER_BYTES + keyLength + valueLength + metadataLength);
        }
        return null;
    }

    /** Offset of the first intact record at or after {@code from}, or -1. */
    static int findIntactRecord(UnsafeBuffer file, ByteBuffer checksumView, CRC32C crc, int from, int limit,
                                        byte type, long afterWord) {
        for (int q = from; q <= limit - (UNCOUNTED_BYTES + MIN_LENGTH); q++) {
            if (file.getByte(q + TYPE_OFFSET) != type) {
                continue;
            }
            int length = file.getInt(q, ByteOrder.BIG_ENDIAN);
            if (length < MIN_LENGTH || length > limit - q - UNCOUNTED_BYTES) {
                continue;
            }
            if (file.getLong(q + WORD_OFFSET, ByteOrder.BIG_ENDIAN) <= afterWord) {
                continue;
            }
            if (file.getInt(q + CRC_OFFSET, ByteOrder.BIG_ENDIAN)
                    == WalRecordFormat.checksum(checksumView, q + TYPE_OFFSET, length, crc)) {
                return q;
            }
        }
        return -1;
    }

    /** Damage in {@code file} at {@code offset}; callers that refuse to open add {@link #refusingToOpen}. */
    static CorruptDataException corrupt(DataFile file, long offset, String why) {
        return new CorruptDataException(file.path(), offset, "write-ahead log file " + file.path()
                + " is corrupt at byte offset " + offset + ": " + why + ".");
    }

    /** {@code damage}, found while opening, told as the reason the engine does not open. */
    static CorruptDataException refusingToOpen(CorruptDataException damage) {
        CorruptDataException refusal = new CorruptDataException(damage.file().orElse(null), damage.offset(),
                damage.getMessage() + " The data is corrupt and the node will not start: list all the damage with "
                + "'modkv check --data <data.dir>', then restore this node's data directory from a backup or "
                + "rebuild it from a replica.");
        refusal.setStackTrace(damage.getStackTrace());
        return refusal;
    }
}
