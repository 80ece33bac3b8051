package org.modkv.api.storage;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * The portable checkpoint format behind the default {@link StorageEngine#checkpoint} and
 * {@link StorageEngine#restore}: a magic header, then {@code keyLength:i32 valueLength:i32
 * metadataLength:i32 key value metadata} per record, then a {@code -1} terminator.
 */
public final class SnapshotFormat {
    static final int MAGIC = 0x6d6b7631; // "mkv1"
    private static final int RESTORE_BATCH_BYTES = 1 << 20;

    private SnapshotFormat() {
    }

    static void write(StorageEngine engine, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        engine.scan(record -> {
            try {
                data.writeInt(record.key().length);
                data.writeInt(record.value().length);
                data.writeInt(record.metadata().length);
                data.write(record.key());
                data.write(record.value());
                data.write(record.metadata());
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
