package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler.Action;
import org.agrona.concurrent.UnsafeBuffer;
import org.modkv.api.storage.Durability;

/**
 * Appends the writes taken from the {@link WriteRing} to the log: gives each batch its sequence
 * number, frames it as a checksummed record ({@link WalRecordFormat}) into a reusable direct
 * buffer, adds it to the {@link PendingGroup}, and writes what the buffer holds to the active
 * segment with one {@code write} per commit ({@link #writeOut()}). Batches too large for the ring
 * are written straight from their own array; durable-log appends are framed into their log's
 * files. Rolls the segment before a record that would not fit.
 *
 * <p>Used by the thread with the {@link CommitTurn}; allocates nothing for writes that fit in
 * the ring.
 */
final class RecordAppender {
    private final WriteRing ring;
    private final DataFiles files;
    private final FsyncHandOff fsyncs;
    private final PendingGroup pending;
    private final ByteBuffer writeBuffer;
    private final ByteBuffer checksumView;
    private final UnsafeBuffer writeView;
    private final CRC32C crc = new CRC32C();
    /** Segments rolled away from in the current group: settled once the group is done. */
    private final List<DataFile> rolledAway = new ArrayList<>();
    private long lastSequence;
    private int bufferEnd;
    private int bufferWritten;
    /** The buffer has no room for the next inline record until the group is done. */
    private boolean bufferFull;
    /** The active segment holds writes that no fsync run or handed out covers. */
    private boolean activeDirty;
    /** Why taking the last message failed, until the agent fails the log with it. */
    private Exception failure;

    RecordAppender(WriteRing ring, DataFiles files, FsyncHandOff fsyncs, PendingGroup pending, int bufferBytes,
                   long recoveredSequence) {
        this.ring = ring;
        this.files = files;
        this.fsyncs = fsyncs;
        this.pending = pending;
        this.writeBuffer = ByteBuffer.allocateDirect(bufferBytes);
        this.checksumView = writeBuffer.duplicate();
        this.writeView = new UnsafeBuffer(writeBuffer);
        this.lastSequence = recoveredSequence;
    }

    /**
     * Takes one ring message (a write, a large write or a durable-log append) into the group.
     * Returns {@code ABORT} when the buffer has no room for it (it stays in the ring until the
     * group is done), {@code BREAK} when taking it failed ({@link #takeFailure()}).
     */
    Action append(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        boolean inline = msgTypeId == WriteRing.MSG_WRITE_DURABLE || msgTypeId == WriteRing.MSG_WRITE_VISIBLE;
        if (inline && bufferEnd + WalRecordFormat.HEADER_BYTES + length > writeBuffer.capacity()) {
            bufferFull = true;
            return Action.ABORT;
        }
        Object holder = ring.takeSlot(index);
        try {
            switch (msgTypeId) {
                case WriteRing.MSG_WRITE_DURABLE, WriteRing.MSG_WRITE_VISIBLE ->
                        frameWrite(msgTypeId == WriteRing.MSG_WRITE_DURABLE, buffer, index, length, holder);
                case WriteRing.MSG_WRITE_LARGE -> writeLarge((WriteRing.LargeWrite) holder);
                case WriteRing.MSG_LOG_APPEND -> {
                    LogAppend append = (LogAppend) holder;
                    append.log().frame(append);
                    pending.add(PendingGroup.LOG_APPEND, true, append.index(), 0, 0, 0, append, null);
                }
                default -> throw new IllegalStateException("unknown ring message type " + msgTypeId);
            }
        } catch (IOException | RuntimeException e) {
            // The holder was taken out of its slot: keep it so the failure reaches its caller.
            failure = e;
            pending.add(PendingGroup.FAILED, true, -1, 0, 0, 0, holder, null);
            return Action.BREAK;
        }
        return Action.CONTINUE;
    }

    /** Whether more messages can be taken now: the buffer has room and nothing failed. */
    boolean canTakeMore() {
        return !bufferFull && failure == null;
    }

    /** Why taking a message failed (once), or {@code null}. */
    Exception takeFailure() {
        Exception taken = failure;
        failure = null;
        return taken;
    }

    /** Frames an inline batch from the ring into the write buffer as a write record. */
    private void frameWrite(boolean isDurable, DirectBuffer ringBuffer, int index, int length, Object completion)
            throws IOException {
        int recordBytes = WalRecordFormat.HEADER_BYTES + length;
        long location = placeRecord(recordBytes);
        long sequence = ++lastSequence;
        int at = bufferEnd;
        writeView.putByte(at + WalRecordFormat.TYPE_OFFSET, WalRecordFormat.TYPE_WRITE);
        writeView.putLong(at + WalRecordFormat.SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
        ringBuffer.getBytes(index, writeView, at + WalRecordFormat.BATCH_OFFSET, length);
        WalRecordFormat.seal(writeBuffer, checksumView, at, recordBytes, crc);
        bufferEnd = at + recordBytes;
        pending.add(PendingGroup.WRITE, isDurable, sequence, at, recordBytes, location, completion, null);
    }

    /** Writes a batch too large for the ring straight to the segment, after what is buffered. */
    private void writeLarge(WriteRing.LargeWrite write) throws IOException {
        long sequence = lastSequence + 1;
        byte[] record = WalRecordFormat.newRecord(WalRecordFormat.TYPE_WRITE, sequence, write.batch(), 0,
                write.batch().length);
        long location = placeRecord(record.length);
        writeOut();
        files.active().append(ByteBuffer.wrap(record));
        activeDirty = true;
        lastSequence = sequence;
        pending.add(PendingGroup.LARGE_WRITE, write.durability() == Durability.DURABLE, sequence, 0, record.length,
                location, write, record);
    }

    /** The location of a record of {@code recordBytes} appended next; rolls the segment first if it must. */
    private long placeRecord(int recordBytes) throws IOException {
        DataFile active = files.active();
        long position = active.size() + (bufferEnd - bufferWritten);
        if (files.mustRollBefore(position, recordBytes) || position > 0 && files.shouldRollToPrepared()) {
            writeOut();
            fsyncs.awaitNoneRunning(); // rolling seals the file a blocking fsync may be forcing
            rolledAway.add(active);
            active = files.roll();
            activeDirty = false;
            position = 0;
            // Rolling forced the old segment: everything written so far is durable.
            pending.coverUpTo(pending.count());
            fsyncs.covered(pending.indexOf(pending.count()));
        }
        return Location.of(active.id(), position);
    }

    /** Writes what the buffer holds beyond what was written, with one write. */
    void writeOut() throws IOException {
        if (bufferEnd > bufferWritten) {
            writeBuffer.limit(bufferEnd).position(bufferWritten);
            files.active().append(writeBuffer);
            writeBuffer.clear();
            bufferWritten = bufferEnd;
            activeDirty = true;
        }
    }

    /** The segment records are appended to now. */
    DataFile activeSegment() {
        return files.active();
    }

    /** Whether the active segment holds writes that no fsync run or handed out covers. */
    boolean activeDirty() {
        return activeDirty;
    }

    /** An fsync of the active segment was run or handed out: it covers everything written so far. */
    void activeForced() {
        activeDirty = false;
    }

    /** The inline records of the group, at the offsets the {@link PendingGroup} holds. */
    DirectBuffer records() {
        return writeView;
    }

    /**
     * The group is done (completed, or failed): the buffer starts over, and the segments rolled
     * away from during it are settled, unless the log failed.
     */
    void groupDone(boolean healthy) {
        if (healthy) {
            for (int i = 0; i < rolledAway.size(); i++) {
                rolledAway.get(i).settled();
            }
        }
        rolledAway.clear();
        bufferEnd = 0;
        bufferWritten = 0;
        bufferFull = false;
    }
}
