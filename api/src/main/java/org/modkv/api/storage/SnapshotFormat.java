package org.modkv.api.storage;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32C;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * The portable checkpoint format behind the default {@link StorageEngine#checkpoint} and
 * {@link StorageEngine#restore}: a magic header, then per record
 * <pre>
 *   keyLength:i32 valueLength:i32 metadataLength:i32 key value metadata crc32c:i32
 * </pre>
 * (the CRC32C covers the three lengths, key, value and metadata), then a {@code -1} terminator.
 * A checkpoint travels through files and networks (a Raft snapshot goes to disk on the leader,
 * over the wire, and to disk on the follower before it is installed), so every record carries
 * its own checksum and {@link CheckpointReader} refuses one that does not check out. Version 1
 * ({@code "mkv1"}: the same without the checksums) is still read.
 */
public final class SnapshotFormat {
    static final int MAGIC_V1 = 0x6d6b7631; // "mkv1"
    static final int MAGIC = 0x6d6b7632; // "mkv2"
    /** Bytes of the three length fields before a record's key. */
    static final int RECORD_HEADER_BYTES = 3 * Integer.BYTES;
    private static final int RESTORE_BATCH_BYTES = 1 << 20;

    private SnapshotFormat() {
    }

    static void write(StorageEngine engine, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        CRC32C crc = new CRC32C();
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
        engine.scan(record -> {
            try {
                header.clear();
                header.putInt(record.key().length).putInt(record.value().length).putInt(record.metadata().length);
                crc.reset();
                crc.update(header.array());
                crc.update(record.key());
                crc.update(record.value());
                crc.update(record.metadata());
                data.write(header.array());
                data.write(record.key());
                data.write(record.value());
                data.write(record.metadata());
                data.writeInt((int) crc.getValue());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        data.writeInt(-1);
        data.flush();
    }

    static void restore(StorageEngine engine, InputStream in) throws IOException {
        CheckpointReader reader = CheckpointReader.open(in);
        List<byte[]> existing = new ArrayList<>();
        engine.scan(record -> existing.add(record.key()));
        WriteBatch batch = new WriteBatch();
        for (byte[] key : existing) {
            batch.delete(key);
            if (batch.encodedLength() >= RESTORE_BATCH_BYTES) {
                flush(engine, batch);
            }
        }
        flush(engine, batch);
        for (StoredRecord record = reader.next(); record != null; record = reader.next()) {
            batch.put(record.key(), record.value(), record.metadata());
            if (batch.encodedLength() >= RESTORE_BATCH_BYTES) {
                flush(engine, batch);
            }
        }
        flush(engine, batch);
    }

    private static void flush(StorageEngine engine, WriteBatch batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            engine.write(batch, Durability.DURABLE).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModkvException(ErrorCode.INTERNAL, "interrupted while restoring a checkpoint", e);
        } catch (ExecutionException e) {
            throw new IOException("restore failed: " + e.getCause().getMessage(), e.getCause());
        }
        batch.clear();
    }
}
