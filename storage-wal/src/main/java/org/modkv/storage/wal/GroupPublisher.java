package org.modkv.storage.wal;

import java.nio.ByteOrder;
import java.util.function.LongConsumer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.WriteCompletion;

/**
 * Makes durable writes visible and tells their callers: applies writes {@code [from, to)} of a
 * {@link PendingGroup} to the {@link KeyDirectory} as one update (so readers see whole
 * batches), then runs their completions in sequence order. Each put's {@link EntryChecksum} is
 * computed here, from the bytes just written, for the key directory. Used by the thread with
 * the {@link CommitTurn}; allocates nothing.
 */
final class GroupPublisher {
    private static final System.Logger LOG = System.getLogger(GroupPublisher.class.getName());

    private final DataFiles files;
    private final KeyDirectory directory;
    /** Told each write's sequence just before its completion runs. */
    private final LongConsumer completedSequence;
    private final UnsafeBuffer largeView = new UnsafeBuffer(new byte[0]);
    private final EntryChecksum checksum = new EntryChecksum();

    GroupPublisher(DataFiles files, KeyDirectory directory, LongConsumer completedSequence) {
        this.files = files;
        this.directory = directory;
        this.completedSequence = completedSequence;
    }

    /** Publishes writes {@code [from, to)} of {@code group}, whose inline records are in {@code writeView}. */
    void publish(PendingGroup group, DirectBuffer writeView, int from, int to) {
        long stamp = directory.beginUpdate();
        try {
            for (int i = from; i < to; i++) {
                byte kind = group.kinds[i];
                if (kind == PendingGroup.WRITE) {
                    apply(writeView, group.bufferOffsets[i], group.recordLengths[i], group.recordLocations[i],
                            group.sequences[i]);
                } else if (kind == PendingGroup.LARGE_WRITE) {
                    largeView.wrap(group.largeRecords[i]);
                    apply(largeView, 0, group.recordLengths[i], group.recordLocations[i], group.sequences[i]);
                }
            }
        } finally {
            directory.endUpdate(stamp);
        }
        for (int i = from; i < to; i++) {
            long sequence = group.sequences[i];
            byte kind = group.kinds[i];
            Object completion = group.takeCompletion(i);
            switch (kind) {
                case PendingGroup.WRITE -> {
                    completedSequence.accept(sequence);
                    complete((WriteCompletion) completion, sequence, null);
                }
                case PendingGroup.LARGE_WRITE -> {
                    completedSequence.accept(sequence);
                    complete(((WriteRing.LargeWrite) completion).completion(), sequence, null);
                }
                case PendingGroup.LOG_APPEND -> ((LogAppend) completion).future().complete(sequence);
                default -> throw new IllegalStateException("a failed write cannot complete");
            }
        }
    }

    /** Applies the entries of the write record at {@code offset} of {@code record} (located at {@code location}). */
    private void apply(DirectBuffer record, int offset, int recordLength, long location, long sequence) {
        DataFile file = files.byId(Location.fileId(location));
        file.sawSequence(sequence);
        int end = offset + recordLength;
        int p = offset + WalRecordFormat.BATCH_OFFSET;
        while (p < end) {
            byte type = record.getByte(p);
            int keyLength = record.getInt(p + 1, ByteOrder.BIG_ENDIAN);
            int valueLength = record.getInt(p + 5, ByteOrder.BIG_ENDIAN);
            int metadataLength = record.getInt(p + 9, ByteOrder.BIG_ENDIAN);
            int entryLength = WalRecordFormat.ENTRY_HEADER_BYTES + keyLength + valueLength + metadataLength;
            file.addEntryBytes(entryLength);
            int keyOffset = p + WalRecordFormat.ENTRY_HEADER_BYTES;
            if (type == MutationType.PUT.code()) {
                directory.put(record, keyOffset, keyLength, location + (p - offset), entryLength, sequence,
                        checksum.of(record, p, entryLength));
            } else {
                directory.delete(record, keyOffset, keyLength, sequence);
            }
            p += entryLength;
        }
    }

    /** Runs one completion; one that throws is logged and does not stop the others. */
    static void complete(WriteCompletion completion, long sequence, Throwable failure) {
        try {
            completion.complete(sequence, failure);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "a write completion threw; ignoring it", t);
        }
    }
}
