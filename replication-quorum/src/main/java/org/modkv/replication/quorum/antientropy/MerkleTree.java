package org.modkv.replication.quorum.antientropy;

import java.util.ArrayList;
import java.util.List;
import org.modkv.replication.quorum.ring.Murmur3;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.DvvSetCodec;

/**
 * A fixed-depth hash tree over the 64-bit key-position space, kept up to date on every put and
 * delete, so that two replicas find the keys they disagree on by comparing a few hashes instead
 * of every key (Dynamo section 4.7, Riak's active anti-entropy).
 *
 * <p><b>Layout.</b> {@code 2^depth} leaves, leaf {@code i} covering the positions whose top
 * {@code depth} bits are {@code i}. A key's position is {@link #position murmur3 of the whole
 * key} (not its hash tag, which would pile a tag's keys into one leaf). A leaf's hash is the XOR
 * of the {@link #itemHash item hashes} of its keys, so a put or delete updates it in O(1) from
 * the old and new item hash, without rereading the leaf's other keys; the {@code depth} inner
 * nodes above it are recomputed (non-commutatively, so swapped subtrees differ). An empty
 * subtree hashes to 0. Memory: {@code 2^(depth+1)} longs (depth 10: 16 KiB).
 *
 * <p><b>Scope.</b> One tree covers the keys that two replicas should both hold (the shell keeps
 * one per peer, fed with the keys whose preference list holds both), so that equal contents
 * give equal trees. Not thread-safe; pure (no I/O, no clock).
 */
public final class MerkleTree {
    /** Deeper trees cost {@code 2^(depth+1)} longs: 20 is 16 MiB. */
    public static final int MAX_DEPTH = 20;
    private static final int POSITION_SEED = 0x5eed;

    private final int depth;
    /** Heap layout: node 1 is the root, node n's children are 2n and 2n+1, leaves are 2^depth.. */
    private final long[] nodes;

    /**
     * @throws IllegalArgumentException if {@code depth} is outside 1..{@value #MAX_DEPTH}
     */
    public MerkleTree(int depth) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("a Merkle tree's depth is between 1 and " + MAX_DEPTH + ", got " + depth);
        }
        this.depth = depth;
        this.nodes = new long[2 << depth];
    }

    /** An independent copy: what a replica sends a peer to compare (a snapshot of its tree now). */
    public MerkleTree copy() {
        MerkleTree copy = new MerkleTree(depth);
        System.arraycopy(nodes, 0, copy.nodes, 0, nodes.length);
        return copy;
    }

    public int depth() {
        return depth;
    }

    /** Where {@code key} sits in the tree. */
    public static long position(byte[] key) {
        return Murmur3.hash64(key, 0, key.length, POSITION_SEED);
    }

    /** The contribution of {@code key} holding {@code state}; never 0, so a present key always counts. */
    public static long itemHash(byte[] key, DvvSet state) {
        long h = Murmur3.fmix64(position(key) ^ Murmur3.hash64(DvvSetCodec.encode(state)));
        return h == 0 ? 1 : h;
    }

    /**
     * Records that the key at {@code position} changed from {@code oldItem} to {@code newItem}
     * (0 for absent: {@code oldItem == 0} is an insert, {@code newItem == 0} a delete).
     * The caller must pass the item hash the tree last got for the key, or the tree drifts.
     */
    public void update(long position, long oldItem, long newItem) {
        if (oldItem == newItem) {
            return;
        }
        int node = leafNode(position);
        nodes[node] ^= oldItem ^ newItem;
        for (node >>>= 1; node >= 1; node >>>= 1) {
            nodes[node] = combine(nodes[2 * node], nodes[2 * node + 1]);
        }
    }

    /** The root hash: equal for two trees over equal contents. */
    public long root() {
        return nodes[1];
    }

    /** The hash of node {@code index} (0-based, left to right) at {@code level} (0 = root, depth = leaves). */
    public long hash(int level, int index) {
        if (level < 0 || level > depth || index < 0 || index >= (1 << level)) {
            throw new IllegalArgumentException("no node " + index + " at level " + level + " of a tree of depth " + depth);
        }
        return nodes[(1 << level) + index];
    }

    /** The positions leaf {@code index} covers. */
    public HashRange leafRange(int index) {
        long first = (long) index << (64 - depth);
        return new HashRange(first, first + ((1L << (64 - depth)) - 1));
    }

    /**
     * The ranges where {@code a} and {@code b} differ: adjacent differing leaves joined into one
     * range, in increasing order. Walks only into subtrees whose hashes differ, so trees that
     * differ in k keys cost about {@code k * depth} comparisons.
     *
     * @throws IllegalArgumentException if the trees have different depths
     */
    public static List<HashRange> diff(MerkleTree a, MerkleTree b) {
        if (a.depth != b.depth) {
            throw new IllegalArgumentException("cannot compare Merkle trees of depths " + a.depth + " and " + b.depth
                    + ": both replicas must use one depth");
        }
        List<Integer> leaves = new ArrayList<>();
        collect(a, b, 1, leaves);
        List<HashRange> ranges = new ArrayList<>();
        int i = 0;
        while (i < leaves.size()) {
            int j = i;
            while (j + 1 < leaves.size() && leaves.get(j + 1) == leaves.get(j) + 1) {
                j++;
            }
            ranges.add(new HashRange(a.leafRange(leaves.get(i)).first(), a.leafRange(leaves.get(j)).last()));
            i = j + 1;
        }
        return ranges;
    }

    private static void collect(MerkleTree a, MerkleTree b, int node, List<Integer> leaves) {
        if (a.nodes[node] == b.nodes[node]) {
            return;
        }
        if (node >= (1 << a.depth)) {
            leaves.add(node - (1 << a.depth));
            return;
        }
        collect(a, b, 2 * node, leaves);
        collect(a, b, 2 * node + 1, leaves);
    }

    private int leafNode(long position) {
        return (1 << depth) + (int) (position >>> (64 - depth));
    }

    private static long combine(long left, long right) {
        if (left == 0 && right == 0) {
            return 0;
        }
        return Murmur3.fmix64(left ^ Long.rotateLeft(Murmur3.fmix64(right ^ 0x9e3779b97f4a7c15L), 17));
    }
}
