package org.modkv.api.storage;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a checkpoint in the portable {@link SnapshotFormat} record by record, checking it as it
 * goes: the header first ({@link #open}), then {@link #next()} until the terminator. An engine
 * that restores without going through {@link StorageEngine#write} (e.g. in memory) reads with
 * this instead of parsing the format again.
 */
public final class CheckpointReader {
    private final DataInputStream data;
    private boolean ended;

    private CheckpointReader(DataInputStream data) {
        this.data = data;
    }

    /** Reads and checks the header. */
    public static CheckpointReader open(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != SnapshotFormat.MAGIC) {
            throw new IOException("not a modkv checkpoint: bad magic number");
        }
        return new CheckpointReader(data);
    }

    /** The next record, or {@code null} once the terminator has been read. */
    public StoredRecord next() throws IOException {
        if (ended) {
            return null;
        }
        int keyLength;
        try {
            keyLength = data.readInt();
        } catch (EOFException e) {
            throw new IOException("checkpoint is truncated: no terminator", e);
        }
        if (keyLength == -1) {
            ended = true;
            return null;
        }
        int valueLength = data.readInt();
        int metadataLength = data.readInt();
        if (keyLength < 0 || valueLength < 0 || metadataLength < 0) {
            throw new IOException("checkpoint is corrupt: negative length");
        }
        byte[] key = data.readNBytes(keyLength);
        byte[] value = data.readNBytes(valueLength);
        byte[] metadata = data.readNBytes(metadataLength);
        if (key.length != keyLength || value.length != valueLength || metadata.length != metadataLength) {
            throw new IOException("checkpoint is truncated inside a record");
        }
        return new StoredRecord(key, value, metadata);
    }
}
