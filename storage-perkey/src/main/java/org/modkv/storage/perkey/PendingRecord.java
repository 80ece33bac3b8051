package org.modkv.storage.perkey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/**
 * One key's latest acknowledged change that is not yet in its key file: a put (value and
 * metadata) or a delete ({@code value == null}). Immutable; the arrays are owned by the record.
 * Compared by identity, so the flusher can remove exactly the record it wrote.
 */
final class PendingRecord {
    /** Rough per-record bookkeeping cost counted against {@code perkey.pending.bytes}. */
    private static final int OVERHEAD_BYTES = 64;
    private static final byte[] EMPTY = new byte[0];

    final KeyBytes key;
    final long sequence;
    final byte[] value;
    final byte[] metadata;

    private PendingRecord(KeyBytes key, long sequence, byte[] value, byte[] metadata) {
        this.key = key;
        this.sequence = sequence;
        this.value = value;
        this.metadata = metadata;
    }

    static PendingRecord put(KeyBytes key, long sequence, byte[] value, byte[] metadata) {
        return new PendingRecord(key, sequence, value, metadata);
    }

    static PendingRecord delete(KeyBytes key, long sequence) {
        return new PendingRecord(key, sequence, null, EMPTY);
    }

    /** The entries of a batch encoding as records with sequence number {@code sequence}, in order. */
    static List<PendingRecord> fromBatch(byte[] encoding, int length, long sequence) {
        List<PendingRecord> records = new ArrayList<>();
        WriteBatch.visit(encoding, 0, length, (type, buffer, ko, kl, vo, vl, mo, ml) -> {
            KeyBytes key = KeyBytes.copyOf(buffer, ko, kl);
            records.add(type == MutationType.PUT
                    ? put(key, sequence, Arrays.copyOfRange(buffer, vo, vo + vl), Arrays.copyOfRange(buffer, mo, mo + ml))
                    : delete(key, sequence));
        });
        return records;
    }

    boolean isDelete() {
        return value == null;
    }

    /** Memory this record holds, as counted against the pending limit. */
    long bytes() {
        return OVERHEAD_BYTES + key.length() + (value == null ? 0 : value.length) + metadata.length;
    }

    /** A record for a reader: copies, so the caller cannot change what other readers see. */
    StoredRecord toStoredRecord() {
        return new StoredRecord(key.bytes().clone(), value.clone(), metadata.clone());
    }

    @Override
    public String toString() {
        return (isDelete() ? "delete " : "put ") + key + " @" + sequence;
    }
}
