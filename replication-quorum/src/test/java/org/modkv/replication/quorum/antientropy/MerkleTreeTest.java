package org.modkv.replication.quorum.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.VersionVector;

/**
 * The tree kept incrementally equals the tree built from the final contents; the diff of two
 * replicas' trees covers exactly the keys they disagree on; exchanging those ranges makes them
 * equal.
 */
class MerkleTreeTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    /** A replica's keys and their states, with its tree kept up to date on every change. */
    private static final class Replica {
        final TreeMap<String, DvvSet> data = new TreeMap<>();
        final MerkleTree tree;

        Replica(int depth) {
            tree = new MerkleTree(depth);
        }

        void put(String key, DvvSet state) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            DvvSet old = data.put(key, state);
            tree.update(MerkleTree.position(k), old == null ? 0 : MerkleTree.itemHash(k, old), MerkleTree.itemHash(k, state));
        }

        void delete(String key) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            DvvSet old = data.remove(key);
            if (old != null) {
                tree.update(MerkleTree.position(k), MerkleTree.itemHash(k, old), 0);
            }
        }

        MerkleTree rebuilt() {
            Replica fresh = new Replica(tree.depth());
            data.forEach(fresh::put);
            return fresh.tree;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void incrementalUpdatesMatchARebuildAndTheDiffFindsExactlyTheDifferingKeys(long seed) {
        Random random = new Random(seed);
        int depth = 1 + random.nextInt(12);
        Replica a = new Replica(depth);
        Replica b = new Replica(depth);
        for (int i = 0; i < 2000; i++) {
            String key = "k" + random.nextInt(500);
            DvvSet state = state(random);
            int op = random.nextInt(10);
            if (op < 6) {
                a.put(key, state);
                b.put(key, state);
            } else if (op < 8) {
                (random.nextBoolean() ? a : b).put(key, state);
            } else {
                (random.nextBoolean() ? a : b).delete(key);
            }
        }
        MerkleTree rebuilt = a.rebuilt();
        assertEquals(rebuilt.root(), a.tree.root());
        for (int level = 0; level <= depth; level++) {
            for (int i = 0; i < (1 << level); i++) {
                assertEquals(rebuilt.hash(level, i), a.tree.hash(level, i));
            }
        }
        Set<String> differing = new HashSet<>();
        Set<String> all = new HashSet<>(a.data.keySet());
        all.addAll(b.data.keySet());
        for (String key : all) {
            if (!java.util.Objects.equals(a.data.get(key), b.data.get(key))) {
                differing.add(key);
            }
        }
        List<HashRange> ranges = MerkleTree.diff(a.tree, b.tree);
        for (String key : all) {
            long position = MerkleTree.position(key.getBytes(StandardCharsets.UTF_8));
            boolean covered = ranges.stream().anyMatch(r -> r.contains(position));
            if (differing.contains(key)) {
                assertTrue(covered, "differing key " + key + " outside every range");
            }
        }
        for (HashRange range : ranges) {
            assertTrue(differing.stream().anyMatch(k -> range.contains(MerkleTree.position(k.getBytes(StandardCharsets.UTF_8)))),
                    "range " + range + " holds no differing key");
        }
        // anti-entropy: exchange the keys in the differing ranges, merge, and the trees agree
        for (HashRange range : ranges) {
            for (String key : all) {
                if (range.contains(MerkleTree.position(key.getBytes(StandardCharsets.UTF_8)))) {
                    DvvSet merged = a.data.getOrDefault(key, DvvSet.empty()).merge(b.data.getOrDefault(key, DvvSet.empty()));
                    a.put(key, merged);
                    b.put(key, merged);
                }
            }
        }
        assertEquals(a.tree.root(), b.tree.root());
        assertEquals(List.of(), MerkleTree.diff(a.tree, b.tree));
    }

    @Test
    void equalContentsInAnyOrderGiveEqualTreesAndOneChangeShowsAsOneLeaf() {
        Random random = new Random(5);
        Map<String, DvvSet> contents = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            contents.put("key" + i, state(random));
        }
        Replica forward = new Replica(10);
        contents.forEach(forward::put);
        Replica backward = new Replica(10);
        List<String> keys = new ArrayList<>(contents.keySet());
        java.util.Collections.reverse(keys);
        keys.forEach(k -> backward.put(k, contents.get(k)));
        assertEquals(forward.tree.root(), backward.tree.root());
        backward.put("key7", state(random));
        assertNotEquals(forward.tree.root(), backward.tree.root());
        List<HashRange> ranges = MerkleTree.diff(forward.tree, backward.tree);
        assertEquals(1, ranges.size());
        assertTrue(ranges.get(0).contains(MerkleTree.position("key7".getBytes(StandardCharsets.UTF_8))));
        assertEquals(forward.tree.leafRange(0).last() + 1, forward.tree.leafRange(1).first());
    }

    @Test
    void refusesBadDepthsAndMismatchedTrees() {
        assertEquals("a Merkle tree's depth is between 1 and 20, got 0",
                assertThrows(IllegalArgumentException.class, () -> new MerkleTree(0)).getMessage());
        assertEquals("cannot compare Merkle trees of depths 3 and 4: both replicas must use one depth",
                assertThrows(IllegalArgumentException.class, () -> MerkleTree.diff(new MerkleTree(3), new MerkleTree(4)))
                        .getMessage());
    }

    private static DvvSet state(Random random) {
        byte[] value = new byte[1 + random.nextInt(8)];
        random.nextBytes(value);
        return DvvSet.empty().update(VersionVector.empty(), value, "n" + random.nextInt(3), random.nextInt(100), 1);
    }
}
