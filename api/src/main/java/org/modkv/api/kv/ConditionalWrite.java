package org.modkv.api.kv;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.modkv.api.storage.WriteBatch;

/**
 * An atomic batch that applies only if all its conditions hold (etcd's txn with compares): all of
 * it or none of it. A put's metadata may carry a {@link RecordHeader} whose expiry is the expiry
 * the key gets (its version is ignored: the decider sets it); see {@link #expiring}.
 *
 * <p>Encoding, for logs and the wire:
 * <pre>
 *   conditionalWrite := count:i32  condition*  batch (WriteBatch's encoding, to the end)
 *   condition        := kind:u8  version:i64  keyLength:i32  key
 * </pre>
 */
public record ConditionalWrite(List<Condition> conditions, WriteBatch batch) {

    public ConditionalWrite {
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(batch, "batch");
    }

    /** A batch with no condition. */
    public static ConditionalWrite unconditional(WriteBatch batch) {
        return new ConditionalWrite(List.of(), batch);
    }

    /** The metadata that asks for a put to expire at {@code expiresAtMillis} (0 = never). */
    public static byte[] expiring(long expiresAtMillis) {
        return new RecordHeader(0, expiresAtMillis).encode(new byte[0]);
    }

    public byte[] encode() {
        int size = Integer.BYTES;
        for (Condition c : conditions) {
            size += 1 + Long.BYTES + Integer.BYTES + c.key().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size + batch.encodedLength());
        out.putInt(conditions.size());
        for (Condition c : conditions) {
            out.put(c.kind().code()).putLong(c.version()).putInt(c.key().length).put(c.key());
        }
        out.put(batch.encodedBuffer(), 0, batch.encodedLength());
        return out.array();
    }

    /**
     * Reads {@link #encode}'s form back, checking every length.
     *
     * @throws IllegalArgumentException when the bytes are not a valid encoding
     */
    public static ConditionalWrite decode(byte[] bytes, int offset, int length) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        try {
            int count = in.getInt();
            if (count < 0 || count > length / (1 + Long.BYTES + Integer.BYTES)) {
                throw new IllegalArgumentException("bad condition count " + count);
            }
            List<Condition> conditions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Condition.Kind kind = Condition.Kind.of(in.get());
                long version = in.getLong();
                int keyLength = in.getInt();
                if (keyLength < 0 || keyLength > in.remaining()) {
                    throw new IllegalArgumentException("bad key length " + keyLength + " in condition " + i);
                }
                byte[] key = new byte[keyLength];
                in.get(key);
                conditions.add(new Condition(key, kind, version));
            }
            int batchOffset = in.position();
            int batchLength = offset + length - batchOffset;
            return new ConditionalWrite(conditions, WriteBatch.decode(bytes, batchOffset, batchLength));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("conditional write of " + length + " bytes is truncated");
        }
    }
}
