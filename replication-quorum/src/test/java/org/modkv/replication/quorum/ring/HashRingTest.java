package org.modkv.replication.quorum.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The ring's properties over many random keys (seeded): balance, distinct replicas, minimal
 * movement when a node joins or leaves, hash tags, the shared-replica-set test. The ring is a
 * pure function of node ids, so every figure asserted here is deterministic.
 */
class HashRingTest {
    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void spreadsPrimariesAndReplicasEvenlyWithVirtualNodes(long seed) {
        HashRing ring = HashRing.of(FIVE, 256);
        Map<String, Integer> primaries = new HashMap<>();
        Map<String, Integer> replicas = new HashMap<>();
        Random random = new Random(seed);
        int keys = 50_000;
        for (int i = 0; i < keys; i++) {
            List<String> list = ring.preferenceList(randomKey(random), 3);
            primaries.merge(list.get(0), 1, Integer::sum);
            for (String node : list) {
                replicas.merge(node, 1, Integer::sum);
            }
        }
        for (String node : FIVE) {
            double primaryShare = primaries.get(node) / (double) keys;
            double replicaShare = replicas.get(node) / (double) (3 * keys);
            assertTrue(Math.abs(primaryShare - 0.2) < 0.2 * 0.2, node + " is primary for " + primaryShare);
            assertTrue(Math.abs(replicaShare - 0.2) < 0.2 * 0.1, node + " holds " + replicaShare + " of the replicas");
        }
    }

    @Test
    void moreTokensBalanceBetterThanOne() {
        Random random = new Random(7);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            keys.add(randomKey(random));
        }
        assertTrue(maxPrimaryShare(HashRing.of(FIVE, 256), keys) < maxPrimaryShare(HashRing.of(FIVE, 1), keys));
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 2, 3, 5})
    void preferenceListsHoldNDistinctNodesAndStartTheWalk(int n) {
        HashRing ring = HashRing.of(FIVE, 64);
        Random random = new Random(n);
        for (int i = 0; i < 5_000; i++) {
            byte[] key = randomKey(random);
            List<String> list = ring.preferenceList(key, n);
            assertEquals(n, list.size());
            assertEquals(n, new HashSet<>(list).size(), "distinct: " + list);
            List<String> walk = ring.walk(key);
            assertEquals(FIVE.size(), walk.size());
            assertEquals(list, walk.subList(0, n));
        }
    }

    @Test
    void addingANodeMovesOnlyAboutOneInNKeysAndOnlyToIt() {
        HashRing before = HashRing.of(FIVE, 128);
        HashRing after = before.withNode("n6");
        Random random = new Random(11);
        int keys = 30_000;
        int movedPrimaries = 0;
        for (int i = 0; i < keys; i++) {
            byte[] key = randomKey(random);
            List<String> old = before.preferenceList(key, 3);
            List<String> now = after.preferenceList(key, 3);
            if (!old.get(0).equals(now.get(0))) {
                movedPrimaries++;
                assertEquals("n6", now.get(0));
            }
            if (!old.equals(now)) {
                assertTrue(now.contains("n6"), "a list changed without the new node: " + old + " -> " + now);
                List<String> kept = new ArrayList<>(now);
                kept.remove("n6");
                assertEquals(old.subList(0, kept.size()), kept, "the other nodes keep their order");
            }
        }
        double share = movedPrimaries / (double) keys;
        assertTrue(share > 1.0 / 6 * 0.7 && share < 1.0 / 6 * 1.3, "moved " + share);
    }

    @Test
    void removingANodeMovesOnlyTheKeysItHeld() {
        HashRing before = HashRing.of(FIVE, 128);
        HashRing after = before.withoutNode("n3");
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = randomKey(random);
            List<String> old = before.preferenceList(key, 3);
            List<String> now = after.preferenceList(key, 3);
            if (!old.contains("n3")) {
                assertEquals(old, now);
            } else {
                List<String> rest = new ArrayList<>(old);
                rest.remove("n3");
                assertEquals(rest, now.subList(0, 2));
            }
        }
    }

    @Test
    void keysSharingATagShareReplicasAndMostUntaggedPairsDoNot() {
        HashRing ring = HashRing.of(FIVE, 64);
        assertTrue(ring.shareReplicaSet(List.of(bytes("{user1}:a"), bytes("{user1}:b"), bytes("{user1}:c")), 3));
        assertTrue(ring.shareReplicaSet(List.of(), 3));
        assertTrue(ring.shareReplicaSet(List.of(bytes("x")), 3));
        int apart = 0;
        for (int i = 0; i < 100; i++) {
            if (!ring.shareReplicaSet(List.of(bytes("a" + i), bytes("b" + i)), 2)) {
                apart++;
            }
        }
        assertTrue(apart > 50, "only " + apart + " of 100 untagged pairs were split");
        assertFalse(ring.shareReplicaSet(List.of(bytes("a"), bytes("b"), bytes("c"), bytes("d"), bytes("e"),
                bytes("f"), bytes("g"), bytes("h")), 2));
    }

    @Test
    void isDeterministicAcrossInstancesAndInputOrder() {
        HashRing a = HashRing.of(List.of("n3", "n1", "n2"), 32);
        HashRing b = HashRing.of(List.of("n1", "n2", "n3"), 32);
        Random random = new Random(5);
        for (int i = 0; i < 1000; i++) {
            byte[] key = randomKey(random);
            assertEquals(a.walk(key), b.walk(key));
        }
    }

    @Test
    void refusesBadShapesWithTheAllowedRange() {
        assertEquals("tokens per node must be between 1 and 4096, got 0",
                assertThrows(IllegalArgumentException.class, () -> HashRing.of(FIVE, 0)).getMessage());
        assertEquals("a ring needs at least one node",
                assertThrows(IllegalArgumentException.class, () -> HashRing.of(List.of(), 8)).getMessage());
        assertEquals("a ring node id must be a non-empty string, got \"\"",
                assertThrows(IllegalArgumentException.class, () -> HashRing.of(List.of("a", ""), 8)).getMessage());
        assertEquals("a preference list holds between 1 and 5 nodes (the ring's size), got n=6",
                assertThrows(IllegalArgumentException.class,
                        () -> HashRing.of(FIVE, 8).preferenceList(bytes("k"), 6)).getMessage());
    }

    private static double maxPrimaryShare(HashRing ring, List<byte[]> keys) {
        Map<String, Integer> counts = new HashMap<>();
        for (byte[] key : keys) {
            counts.merge(ring.preferenceList(key, 1).get(0), 1, Integer::sum);
        }
        return counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow() / (double) keys.size();
    }

    static byte[] randomKey(Random random) {
        byte[] key = new byte[1 + random.nextInt(24)];
        random.nextBytes(key);
        return key;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
