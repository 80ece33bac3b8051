package org.modkv.replication.quorum.ring;

/**
 * MurmurHash3, x64 128-bit variant, returning the first 64 bits (h1): the hash the ring places
 * keys and tokens with. Chosen because it is stable across versions and platforms (a pure
 * function of the bytes), well mixed, fast, and the one Cassandra's default partitioner uses; no
 * library in the reactor provides it, so it is implemented here (about 60 lines) and pinned by
 * the reference vectors in {@code Murmur3Test}. See docs/design/quorum.md, "The ring".
 *
 * <p>Changing this function moves every key in a running cluster: never change it.
 */
public final class Murmur3 {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3() {
    }

    /** The first 64 bits of murmur3_x64_128 over {@code data[offset, offset + length)} with {@code seed}. */
    public static long hash64(byte[] data, int offset, int length, int seed) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + "+" + length
                    + ") is outside an array of " + data.length + " bytes");
        }
        long h1 = seed & 0xffffffffL;
        long h2 = seed & 0xffffffffL;
        int blocks = length / 16;
        for (int i = 0; i < blocks; i++) {
            int at = offset + i * 16;
            long k1 = littleEndianLong(data, at);
            long k2 = littleEndianLong(data, at + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = offset + blocks * 16;
        int rest = length & 15;
        long k1 = 0;
        long k2 = 0;
        for (int i = rest - 1; i >= 8; i--) {
            k2 = (k2 << 8) | (data[tail + i] & 0xffL);
        }
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
            k1 = (k1 << 8) | (data[tail + i] & 0xffL);
        }
        if (rest > 8) {
            h2 ^= mixK2(k2);
        }
        if (rest > 0) {
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        return h1;
    }

    /** {@link #hash64(byte[], int, int, int)} over the whole array with seed 0. */
    public static long hash64(byte[] data) {
        return hash64(data, 0, data.length, 0);
    }

    /** The murmur3 finalizer: a bijective 64-bit mixer, also used to combine hashes. */
    public static long fmix64(long value) {
        long k = value;
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long mixK1(long k) {
        return Long.rotateLeft(k * C1, 31) * C2;
    }

    private static long mixK2(long k) {
        return Long.rotateLeft(k * C2, 33) * C1;
    }

    private static long littleEndianLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xffL);
        }
        return v;
    }
}
