package org.modkv.api.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An atomic group of puts and deletes: a storage engine applies all of it or none of it,
 * across crashes. Reusable and allocation-free once its buffer has grown: {@link #clear()}
 * and fill it again.
 *
 * <p>Entries are kept in one flat buffer in the <em>batch encoding</em>, which storage engines
 * may write to disk as it is:
 * <pre>
 *   entry := type:u8  keyLength:i32  valueLength:i32  metadataLength:i32  key  value  metadata
 * </pre>
 * (big-endian lengths). {@link #decode} reads it back and checks every length.
 *
 * <p>Not thread-safe. Ownership: a {@link StorageEngine} copies what it needs before
 * {@code write} returns, so the caller may clear and reuse the batch as soon as the call
 * returns.
 */
public final class WriteBatch {
    /** Bytes of fixed header per entry: type plus three lengths. */
    public static final int ENTRY_HEADER_BYTES = 1 + 3 * Integer.BYTES;

    private byte[] buffer;
    private int length;
    private int count;

    public WriteBatch() {
        this(256);
    }

    public WriteBatch(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** Adds a put with empty metadata. */
    public WriteBatch put(byte[] key, byte[] value) {
        return add(MutationType.PUT, key, 0, key.length, value, 0, value.length, null, 0, 0);
    }

    /** Adds a put carrying replication metadata. */
    public WriteBatch put(byte[] key, byte[] value, byte[] metadata) {
        return add(MutationType.PUT, key, 0, key.length, value, 0, value.length, metadata, 0, metadata.length);
    }

    /** Adds a delete. */
    public WriteBatch delete(byte[] key) {
        return add(MutationType.DELETE, key, 0, key.length, null, 0, 0, null, 0, 0);
    }

    /** Adds any entry from ranges of arrays; {@code null} arrays are treated as empty. */
    public WriteBatch add(MutationType type, byte[] key, int keyOffset, int keyLength,
                          byte[] value, int valueOffset, int valueLength,
                          byte[] metadata, int metadataOffset, int metadataLength) {
        if (type == MutationType.DELETE && valueLength != 0) {
            throw new IllegalArgumentException("a delete carries no value");
        }
        long needed = (long) length + ENTRY_HEADER_BYTES + keyLength + valueLength + metadataLength;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a write batch is limited to 2 GiB");
        }
        ensureCapacity((int) needed);
        byte[] b = buffer;
        int p = length;
        b[p++] = type.code();
        p = putInt(b, p, keyLength);
        p = putInt(b, p, valueLength);
        p = putInt(b, p, metadataLength);
        if (keyLength > 0) {
            System.arraycopy(key, keyOffset, b, p, keyLength);
            p += keyLength;
        }
        if (valueLength > 0) {
            System.arraycopy(value, valueOffset, b, p, valueLength);
            p += valueLength;
        }
        if (metadataLength > 0) {
            System.arraycopy(metadata, metadataOffset, b, p, metadataLength);
            p += metadataLength;
        }
        length = p;
        count++;
        return this;
    }

    /** Appends every entry of {@code other}. */
    public WriteBatch addAll(WriteBatch other) {
        ensureCapacity(length + other.length);
        System.arraycopy(other.buffer, 0, buffer, length, other.length);
        length += other.length;
        count += other.count;
        return this;
    }

    /** Removes every entry; keeps the buffer for reuse. */
    public WriteBatch clear() {
        length = 0;
        count = 0;
        return this;
    }

    /** Number of entries. */
    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Length of the batch encoding in bytes. */
    public int encodedLength() {
        return length;
    }

    /**
     * The buffer holding the batch encoding in {@code [0, encodedLength())}. Owned by the
     * batch; valid until it is next modified. Do not write to it.
     */
    public byte[] encodedBuffer() {
        return buffer;
    }

    /** Calls {@code visitor} once per entry in order, without allocation. */
    public void forEach(MutationVisitor visitor) {
        visit(buffer, 0, length, visitor);
    }

    /** Decoded entries; allocates. */
    public List<Mutation> mutations() {
        List<Mutation> out = new ArrayList<>(count);
        forEach((type, buf, ko, kl, vo, vl, mo, ml) -> out.add(new Mutation(type,
                Arrays.copyOfRange(buf, ko, ko + kl), Arrays.copyOfRange(buf, vo, vo + vl),
                Arrays.copyOfRange(buf, mo, mo + ml))));
        return out;
    }

    /** An independent copy. */
    public WriteBatch copy() {
        WriteBatch copy = new WriteBatch(length);
        return copy.addAll(this);
    }

    /**
     * Reads a batch encoding from {@code buffer[offset, offset + length)} into a new batch.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed batch encoding
     */
    public static WriteBatch decode(byte[] buffer, int offset, int length) {
        int entries = validate(buffer, offset, length);
        WriteBatch batch = new WriteBatch(length);
        System.arraycopy(buffer, offset, batch.buffer, 0, length);
        batch.length = length;
        batch.count = entries;
        return batch;
    }

    /**
     * Visits a batch encoding held elsewhere (e.g. a mapped log segment) without copying it.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed batch encoding
     */
    public static void visit(byte[] buffer, int offset, int length, MutationVisitor visitor) {
        int p = offset;
        int end = offset + length;
        while (p < end) {
            MutationType type = MutationType.fromCode(buffer[p]);
            int kl = getInt(buffer, p + 1);
            int vl = getInt(buffer, p + 5);
            int ml = getInt(buffer, p + 9);
            int ko = p + ENTRY_HEADER_BYTES;
            visitor.visit(type, buffer, ko, kl, ko + kl, vl, ko + kl + vl, ml);
            p = ko + kl + vl + ml;
        }
    }

    /** Checks a batch encoding and returns its number of entries. */
    public static int validate(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("batch range out of bounds");
        }
        int p = offset;
        int end = offset + length;
        int entries = 0;
        while (p < end) {
            if (end - p < ENTRY_HEADER_BYTES) {
                throw new IllegalArgumentException("truncated entry header at byte " + (p - offset));
            }
            MutationType type = MutationType.fromCode(buffer[p]);
            if (type == null) {
                throw new IllegalArgumentException("unknown entry type " + buffer[p] + " at byte " + (p - offset));
            }
            long kl = getInt(buffer, p + 1);
            long vl = getInt(buffer, p + 5);
            long ml = getInt(buffer, p + 9);
            if (kl < 0 || vl < 0 || ml < 0 || p + ENTRY_HEADER_BYTES + kl + vl + ml > end) {
                throw new IllegalArgumentException("entry lengths overrun the batch at byte " + (p - offset));
            }
            if (type == MutationType.DELETE && vl != 0) {
                throw new IllegalArgumentException("delete with a value at byte " + (p - offset));
            }
            p += (int) (ENTRY_HEADER_BYTES + kl + vl + ml);
            entries++;
        }
        return entries;
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buffer.length)));
        }
    }

    private static int putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        return p + 4;
    }

    private static int getInt(byte[] b, int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    @Override
    public String toString() {
        return "WriteBatch(" + count + " entries, " + length + " bytes)";
    }
}
