package org.modkv.storage.wal;

/**
 * Where a live key's value is: its segment, the byte offset of the value in the segment
 * file, and its length; the replication metadata is kept in memory. Immutable.
 *
 * @param metadata owned by the directory; copy before handing out
 */
record ValueLocation(WalSegment segment, long valueOffset, int valueLength, byte[] metadata) {
}
