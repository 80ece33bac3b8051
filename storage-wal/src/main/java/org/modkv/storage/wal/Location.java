package org.modkv.storage.wal;

/**
 * Where a batch entry is on disk, packed into one {@code long}: the number of its data file in
 * the high {@value #FILE_BITS} bits, the byte offset of the entry in that file in the low
 * {@value #OFFSET_BITS} bits. {@link #NONE} marks a deleted key.
 */
final class Location {
    static final int OFFSET_BITS = 36;
    static final int FILE_BITS = 64 - OFFSET_BITS - 1;
    static final long MAX_OFFSET = (1L << OFFSET_BITS) - 1;
    static final long MAX_FILE_ID = (1L << FILE_BITS) - 1;
    /** No location: the key's latest entry is a delete. */
    static final long NONE = -1;

    private Location() {
    }

    static long of(long fileId, long offset) {
        if (fileId < 0 || fileId > MAX_FILE_ID || offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("location out of range: file " + fileId + ", offset " + offset);
        }
        return (fileId << OFFSET_BITS) | offset;
    }

    static long fileId(long location) {
        return location >>> OFFSET_BITS;
    }

    static long offset(long location) {
        return location & MAX_OFFSET;
    }
}
