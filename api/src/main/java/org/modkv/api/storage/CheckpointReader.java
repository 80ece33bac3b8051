package org.modkv.api.storage;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads a checkpoint in the portable {@link SnapshotFormat} record by record, checking it as it
 * goes: the header first ({@link #open}), then {@link #next()} until the terminator. An engine
 * that restores without going through {@link StorageEngine#write} (e.g. in memory) reads with
 * this instead of parsing the format again.
 *
 * <p>Every record's checksum is checked before the record is returned: a damaged record is a
 * {@link CorruptDataException} naming its byte offset in the stream, never a record. To check a
 * whole checkpoint before acting on any of it (e.g. before replacing storage with it), run
 * {@link #verify} over it first.
 */
public final class CheckpointReader {
    private final DataInputStream data;
    private final boolean checksummed;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header = ByteBuffer.allocate(SnapshotFormat.RECORD_HEADER_BYTES);
    private long position = Integer.BYTES;
    private long records;
    private boolean ended;

    private CheckpointReader(DataInputStream data, boolean checksummed) {
        this.data = data;
        this.checksummed = checksummed;
    }

    /** Reads and checks the header. */
    public static CheckpointReader open(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = data.readInt();
        if (magic != SnapshotFormat.MAGIC && magic != SnapshotFormat.MAGIC_V1) {
            throw new CorruptDataException(null, 0, "not a modkv checkpoint: bad magic number "
                    + Integer.toHexString(magic));
        }
        return new CheckpointReader(data, magic == SnapshotFormat.MAGIC);
    }

    /**
     * Reads a whole checkpoint and checks every record, keeping none.
     *
     * @return the number of records
     * @throws CorruptDataException if a record fails its checksum or the stream is malformed or
     *     truncated; the message names the byte offset
     */
    public static long verify(InputStream in) throws IOException {
        CheckpointReader reader = open(in);
        while (reader.next() != null) {
            // checked as it is read
        }
        return reader.records;
    }

    /**
     * The next record, or {@code null} once the terminator has been read.
     *
     * @throws CorruptDataException if the record fails its checksum, or the stream is malformed or
     *     truncated; the message names the byte offset of the record in the stream
     */
    public StoredRecord next() throws IOException {
        if (ended) {
            return null;
        }
        long start = position;
        int keyLength;
        try {
            keyLength = data.readInt();
        } catch (EOFException e) {
            throw corrupt(start, "the checkpoint is truncated: no terminator after " + records + " records");
        }
        if (keyLength == -1) {
            ended = true;
            position += Integer.BYTES;
            return null;
        }
        int valueLength;
        int metadataLength;
        try {
            valueLength = data.readInt();
            metadataLength = data.readInt();
        } catch (EOFException e) {
            throw corrupt(start, "the checkpoint is truncated inside a record header");
        }
        if (keyLength < 0 || valueLength < 0 || metadataLength < 0) {
            throw corrupt(start, "a negative length in record " + (records + 1));
        }
        byte[] key = data.readNBytes(keyLength);
        byte[] value = data.readNBytes(valueLength);
        byte[] metadata = data.readNBytes(metadataLength);
        if (key.length != keyLength || value.length != valueLength || metadata.length != metadataLength) {
            throw corrupt(start, "the checkpoint is truncated inside record " + (records + 1));
        }
        position += SnapshotFormat.RECORD_HEADER_BYTES + (long) keyLength + valueLength + metadataLength;
        if (checksummed) {
            int stored;
            try {
                stored = data.readInt();
            } catch (EOFException e) {
                throw corrupt(start, "the checkpoint is truncated before the checksum of record " + (records + 1));
            }
            position += Integer.BYTES;
            header.clear();
            header.putInt(keyLength).putInt(valueLength).putInt(metadataLength);
            crc.reset();
            crc.update(header.array());
            crc.update(key);
            crc.update(value);
            crc.update(metadata);
            if (stored != (int) crc.getValue()) {
                throw corrupt(start, String.format("record %d failed its checksum (stored %08x, computed %08x)",
                        records + 1, stored, (int) crc.getValue()));
            }
        }
        records++;
        return new StoredRecord(key, value, metadata);
    }

    private static CorruptDataException corrupt(long offset, String why) {
        return new CorruptDataException(null, offset, "corrupt checkpoint at byte offset " + offset + ": " + why
                + "; it is not used");
    }
}
