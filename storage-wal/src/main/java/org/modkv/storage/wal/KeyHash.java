package org.modkv.storage.wal;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The 64-bit hash of a key used by the {@link KeyDirectory} (MurmurHash3-style mixing, eight
 * bytes at a time). Not persisted anywhere, so it may change between versions.
 */
final class KeyHash {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private KeyHash() {
    }

    static long hash(DirectBuffer buffer, int offset, int length) {
        long h = 0x9E3779B97F4A7C15L ^ (length * C2);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h ^= mix(buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN));
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        if (i < length) {
            long tail = 0;
            for (int shift = 0; i < length; i++, shift += 8) {
                tail |= (buffer.getByte(offset + i) & 0xffL) << shift;
            }
            h ^= mix(tail);
        }
        return fmix(h ^ length);
    }

    private static long mix(long k) {
        return Long.rotateLeft(k * C1, 31) * C2;
    }

    private static long fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
