package org.modkv.storage.wal;

import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Off-heap storage for the records of the {@link KeyDirectory}: one record per key, appended
 * to chunks of direct memory and never moved (a rebuild copies the live ones into a new arena).
 * Record layout, 8-byte aligned, native byte order:
 * <pre>
 *   0   header:i32        key length | {@link #PRESENT} (0 marks the unused end of a chunk)
 *   4   entryLength:i32   bytes of the key's latest entry on disk
 *   8   location:i64      {@link Location} of that entry, or {@link Location#NONE} after a delete
 *   16  sequence:i64      sequence number of the latest put or delete
 *   24  checksum:i32      {@link EntryChecksum} of that entry (0 after a delete)
 *   28  key bytes
 * </pre>
 * A record is addressed by a <em>ref</em>: chunk number in the bits above {@value #CHUNK_SHIFT},
 * offset in the chunk below. Chunk 0 starts at offset 8, so no ref is 0.
 *
 * <p>Threading: one writer (holding the directory's write lock), which {@link #publish()}es
 * what it wrote when its update ends. Readers may read any record below {@link #end()} at any
 * time; the key bytes of a record never change once written, the
 * other fields may (readers validate through the directory's lock).
 */
final class KeyArena {
    static final int HEADER_OFFSET = 0;
    static final int ENTRY_LENGTH_OFFSET = 4;
    static final int LOCATION_OFFSET = 8;
    static final int SEQUENCE_OFFSET = 16;
    static final int CHECKSUM_OFFSET = 24;
    static final int KEY_OFFSET = 28;
    static final int PRESENT = 1 << 30;

    static final int CHUNK_SHIFT = 26;
    private static final int MAX_CHUNK_BYTES = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = MAX_CHUNK_BYTES - 1;
    /** Refs fit in 35 bits, so the directory can keep {@code ref >>> 3} in 32. */
    private static final int MAX_CHUNKS = 1 << (35 - CHUNK_SHIFT);
    private static final int FIRST_CHUNK_BYTES = 64 * 1024;

    private final UnsafeBuffer[] chunks = new UnsafeBuffer[MAX_CHUNKS];
    private int current = -1;
    private int position;
    private long allocatedBytes;
    private long end;
    private volatile long publishedEnd;

    KeyArena() {
    }

    /** Bytes a record for a key of {@code keyLength} bytes takes. */
    static int recordBytes(int keyLength) {
        return (KEY_OFFSET + keyLength + 7) & ~7;
    }

    /** Appends a record; returns its ref. Writer only. */
    long add(DirectBuffer key, int keyOffset, int keyLength, int entryLength, long location, long sequence,
             int checksum) {
        int size = recordBytes(keyLength);
        if (current < 0 || position + size > chunks[current].capacity()) {
            newChunk(size);
        }
        UnsafeBuffer chunk = chunks[current];
        int at = position;
        chunk.putInt(at + ENTRY_LENGTH_OFFSET, entryLength);
        chunk.putLong(at + LOCATION_OFFSET, location);
        chunk.putLong(at + SEQUENCE_OFFSET, sequence);
        chunk.putInt(at + CHECKSUM_OFFSET, checksum);
        chunk.putBytes(at + KEY_OFFSET, key, keyOffset, keyLength);
        chunk.putIntRelease(at + HEADER_OFFSET, keyLength | PRESENT);
        position = at + size;
        long ref = ((long) current << CHUNK_SHIFT) | at;
        end = ((long) current << CHUNK_SHIFT) | position;
        return ref;
    }

    private void newChunk(int recordBytes) {
        int next = current + 1;
        if (next >= MAX_CHUNKS) {
            throw new IllegalStateException("the key directory is full: " + (allocatedBytes >> 20)
                    + " MiB of keys; this engine keeps every key in memory");
        }
        int size = (int) Math.min(MAX_CHUNK_BYTES, (long) FIRST_CHUNK_BYTES << Math.min(next, 20));
        if (recordBytes + 8 > size) {
            throw new IllegalArgumentException("key record of " + recordBytes + " bytes is larger than a chunk");
        }
        chunks[next] = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        allocatedBytes += size;
        current = next;
        position = next == 0 ? 8 : 0;
    }

    /** Makes the records written so far visible to {@link #end()}. Writer only. */
    void publish() {
        publishedEnd = end;
    }

    /** Ref just past the last record published; records below it are complete. */
    long end() {
        return publishedEnd;
    }

    /** The first ref to look at when walking the arena ({@link #next}). */
    static long first() {
        return 8;
    }

    /**
     * The ref of the record at or after {@code ref} (skipping the unused end of a chunk), or -1
     * when there is none below {@code limit}.
     */
    long atOrAfter(long ref, long limit) {
        while (ref < limit) {
            int chunkIndex = (int) (ref >>> CHUNK_SHIFT);
            UnsafeBuffer chunk = chunks[chunkIndex];
            int at = (int) (ref & CHUNK_MASK);
            if (at + KEY_OFFSET <= chunk.capacity() && chunk.getIntVolatile(at + HEADER_OFFSET) != 0) {
                return ref;
            }
            ref = (long) (chunkIndex + 1) << CHUNK_SHIFT;
        }
        return -1;
    }

    /** The ref after the record at {@code ref}. */
    long next(long ref) {
        return ref + recordBytes(keyLength(ref));
    }

    private UnsafeBuffer chunk(long ref) {
        return chunks[(int) (ref >>> CHUNK_SHIFT)];
    }

    private static int at(long ref) {
        return (int) (ref & CHUNK_MASK);
    }

    int keyLength(long ref) {
        return chunk(ref).getInt(at(ref) + HEADER_OFFSET) & ~PRESENT;
    }

    int entryLength(long ref) {
        return chunk(ref).getInt(at(ref) + ENTRY_LENGTH_OFFSET);
    }

    long location(long ref) {
        return chunk(ref).getLong(at(ref) + LOCATION_OFFSET);
    }

    long sequence(long ref) {
        return chunk(ref).getLong(at(ref) + SEQUENCE_OFFSET);
    }

    int checksum(long ref) {
        return chunk(ref).getInt(at(ref) + CHECKSUM_OFFSET);
    }

    /** Writer only. */
    void update(long ref, int entryLength, long location, long sequence, int checksum) {
        UnsafeBuffer chunk = chunk(ref);
        int at = at(ref);
        chunk.putInt(at + ENTRY_LENGTH_OFFSET, entryLength);
        chunk.putLong(at + LOCATION_OFFSET, location);
        chunk.putLong(at + SEQUENCE_OFFSET, sequence);
        chunk.putInt(at + CHECKSUM_OFFSET, checksum);
    }

    /** Writer only. */
    void updateLocation(long ref, long location) {
        chunk(ref).putLong(at(ref) + LOCATION_OFFSET, location);
    }

    /** Whether the record's key equals {@code key[offset, offset + length)}. */
    boolean keyEquals(long ref, DirectBuffer key, int offset, int length) {
        UnsafeBuffer chunk = chunk(ref);
        int at = at(ref);
        if ((chunk.getInt(at + HEADER_OFFSET) & ~PRESENT) != length) {
            return false;
        }
        int base = at + KEY_OFFSET;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            if (chunk.getLong(base + i) != key.getLong(offset + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (chunk.getByte(base + i) != key.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    /** A copy of the record's key. */
    byte[] key(long ref) {
        byte[] key = new byte[keyLength(ref)];
        chunk(ref).getBytes(at(ref) + KEY_OFFSET, key);
        return key;
    }

    /** The chunk holding {@code ref}, for hashing or copying its key in place. */
    DirectBuffer keyBuffer(long ref) {
        return chunk(ref);
    }

    /** Offset of the key of {@code ref} in {@link #keyBuffer}. */
    static int keyOffset(long ref) {
        return at(ref) + KEY_OFFSET;
    }

    /** Direct memory held. */
    long allocatedBytes() {
        return allocatedBytes;
    }
}
