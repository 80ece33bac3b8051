package org.modkv.replication.quorum.ring;

/**
 * Which bytes of a key the ring hashes, by Redis Cluster's hash-tag rule: if the key holds a
 * {@code '{'} and, after it, a {@code '}'}, and the bytes between the first {@code '{'} and the
 * first {@code '}'} after it are not empty, only those bytes are hashed; otherwise the whole key
 * is. So {@code {user1}:a} and {@code {user1}:b} live on the same replicas, {@code {}x} and
 * {@code x{} } hash whole, and {@code a{b}{c}} hashes {@code b}.
 */
public final class HashTag {
    private HashTag() {
    }

    /** The start (inclusive) of the hashed bytes of {@code key}. */
    public static int start(byte[] key) {
        int open = indexOf(key, (byte) '{', 0);
        if (open < 0) {
            return 0;
        }
        int close = indexOf(key, (byte) '}', open + 1);
        return close > open + 1 ? open + 1 : 0;
    }

    /** The end (exclusive) of the hashed bytes of {@code key}. */
    public static int end(byte[] key) {
        int open = indexOf(key, (byte) '{', 0);
        if (open < 0) {
            return key.length;
        }
        int close = indexOf(key, (byte) '}', open + 1);
        return close > open + 1 ? close : key.length;
    }

    /** The ring position of {@code key}: murmur3 over its hashed bytes. */
    public static long position(byte[] key) {
        int from = start(key);
        return Murmur3.hash64(key, from, end(key) - from, 0);
    }

    private static int indexOf(byte[] key, byte b, int from) {
        for (int i = from; i < key.length; i++) {
            if (key[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
