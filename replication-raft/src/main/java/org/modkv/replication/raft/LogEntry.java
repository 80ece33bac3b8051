package org.modkv.replication.raft;

import java.nio.ByteBuffer;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.storage.WriteBatch;

/**
 * How an entry is kept in the durable log: its term (8 bytes, big-endian), a kind byte and the
 * payload. A {@link #NOOP} is what a new leader appends to commit entries of earlier terms; a
 * {@link #BATCH} carries an atomic {@link WriteBatch} in its encoded form; a {@link #CONDITIONAL}
 * carries a {@link ConditionalWrite} after the leader's wall-clock time when it proposed it, which
 * every node uses to judge expiry while deciding the entry, so all decide alike
 * (docs/design/kv-api.md).
 */
final class LogEntry {
    static final byte NOOP = 0;
    static final byte BATCH = 1;
    static final byte CONDITIONAL = 2;
    static final int HEADER_BYTES = Long.BYTES + 1;

    private LogEntry() {
    }

    static byte[] noop(long term) {
        return ByteBuffer.allocate(HEADER_BYTES).putLong(term).put(NOOP).array();
    }

    static byte[] batch(long term, WriteBatch batch) {
        int length = batch.encodedLength();
        return ByteBuffer.allocate(HEADER_BYTES + length).putLong(term).put(BATCH)
                .put(batch.encodedBuffer(), 0, length).array();
    }

    static byte[] conditional(long term, long proposedAtMillis, ConditionalWrite write) {
        byte[] encoded = write.encode();
        return ByteBuffer.allocate(HEADER_BYTES + Long.BYTES + encoded.length).putLong(term).put(CONDITIONAL)
                .putLong(proposedAtMillis).put(encoded).array();
    }

    /** The write of a {@link #CONDITIONAL} entry. */
    static ConditionalWrite conditionalWrite(byte[] entry) {
        if (kind(entry) != CONDITIONAL) {
            throw new IllegalArgumentException("log entry of kind " + kind(entry) + " holds no conditional write");
        }
        int offset = HEADER_BYTES + Long.BYTES;
        return ConditionalWrite.decode(entry, offset, entry.length - offset);
    }

    /** The leader's wall-clock time when it proposed a {@link #CONDITIONAL} entry. */
    static long proposedAtMillis(byte[] entry) {
        return ByteBuffer.wrap(entry).getLong(HEADER_BYTES);
    }

    static long term(byte[] entry) {
        checkHeader(entry);
        return ByteBuffer.wrap(entry).getLong(0);
    }

    static byte kind(byte[] entry) {
        checkHeader(entry);
        return entry[Long.BYTES];
    }

    /** The batch of a {@link #BATCH} entry. */
    static WriteBatch writeBatch(byte[] entry) {
        if (kind(entry) != BATCH) {
            throw new IllegalArgumentException("log entry of kind " + kind(entry) + " holds no write batch");
        }
        return WriteBatch.decode(entry, HEADER_BYTES, entry.length - HEADER_BYTES);
    }

    private static void checkHeader(byte[] entry) {
        if (entry.length < HEADER_BYTES) {
            throw new IllegalArgumentException("log entry of " + entry.length + " bytes is shorter than its "
                    + HEADER_BYTES + "-byte header");
        }
    }
}
