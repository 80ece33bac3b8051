package org.modkv.storage.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;

/**
 * The CRC32C of one batch entry ({@code type keyLength valueLength metadataLength key value
 * metadata}, as {@link WalRecordFormat} lays it out), which the {@link KeyDirectory} keeps beside
 * the entry's location so that a point read checks the bytes it serves without reading the
 * whole record (a record holds a whole batch; a read wants one entry of it).
 *
 * <p>Computed where the entry's bytes are known good: from the write buffer when the group
 * commit applies a batch, from a record whose own checksum was just checked when recovery or a
 * merge replays a file; hint files carry it. Runs on heap arrays and on direct or mapped
 * buffers in place (through the CRC32C intrinsic), allocating nothing once it has seen its
 * buffer.
 *
 * <p>Not thread-safe: one per thread that computes checksums.
 */
final class EntryChecksum {
    private final CRC32C crc = new CRC32C();
    private ByteBuffer source;
    private ByteBuffer view;

    /** CRC32C of {@code buffer[offset, offset + length)}. */
    int of(DirectBuffer buffer, int offset, int length) {
        crc.reset();
        byte[] array = buffer.byteArray();
        if (array != null) {
            crc.update(array, (int) buffer.wrapAdjustment() + offset, length);
        } else {
            ByteBuffer wrapped = buffer.byteBuffer();
            if (wrapped == null) {
                throw new IllegalArgumentException("a buffer over raw memory cannot be checksummed");
            }
            if (wrapped != source) {
                source = wrapped;
                view = wrapped.duplicate();
            }
            int start = (int) buffer.wrapAdjustment() + offset;
            view.clear();
            view.limit(start + length).position(start);
            crc.update(view);
        }
        return (int) crc.getValue();
    }

    /** CRC32C of {@code bytes[offset, offset + length)}. */
    int of(byte[] bytes, int offset, int length) {
        crc.reset();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
