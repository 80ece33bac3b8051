package org.modkv.replication.quorum.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The laws a replica's merge must obey, and the causal meaning of a context, over random histories. */
class DvvSetPropertiesTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mergeIsCommutativeAssociativeAndIdempotent(long seed) {
        Random random = new Random(seed);
        StateHistory history = new StateHistory(random, 60);
        for (int i = 0; i < 300; i++) {
            DvvSet x = history.any(random);
            DvvSet y = history.any(random);
            DvvSet z = history.any(random);
            assertEquals(x.merge(y), y.merge(x), () -> "commutative: " + x + " " + y);
            assertEquals(x.merge(y).merge(z), x.merge(y.merge(z)), () -> "associative: " + x + " " + y + " " + z);
            assertEquals(x, x.merge(x), "idempotent");
            DvvSet xy = x.merge(y);
            assertTrue(xy.descends(x) && xy.descends(y), "the merge has seen both");
            assertEquals(xy, xy.merge(x), "merging a part again changes nothing");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aWriteWithAReadsContextSupersedesExactlyWhatThatReadSaw(long seed) {
        Random random = new Random(seed);
        StateHistory history = new StateHistory(random, 40);
        DvvSet read = history.replicas[0].merge(history.replicas[1]);
        // others keep writing after the read, without having seen it
        List<Sibling> later = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
            int replica = random.nextInt(3);
            DvvSet after = history.write(replica, VersionVector.empty(), ("late" + i).getBytes(StandardCharsets.UTF_8), 5);
            Dot issued = new Dot(StateHistory.NODES[replica], after.context().get(StateHistory.NODES[replica]));
            later.add(after.siblings().stream().filter(s -> s.dot().equals(issued)).findFirst().orElseThrow());
        }
        DvvSet written = history.write(0, read.context(), "mine".getBytes(StandardCharsets.UTF_8), 7);
        DvvSet everything = written.merge(history.replicas[1]).merge(history.replicas[2]);
        for (Sibling seen : read.siblings()) {
            assertFalse(contains(everything, seen), "a sibling the read saw survived the write: " + seen);
        }
        for (Sibling concurrent : later) {
            assertTrue(contains(everything, concurrent), "a concurrent write was lost: " + concurrent);
        }
        assertTrue(everything.siblings().stream().anyMatch(s -> !s.isTombstone()
                && new String(s.value(), StandardCharsets.UTF_8).equals("mine")));
    }

    @Test
    void concurrentBlindWritesBecomeSiblingsAndAWriteWithTheirContextResolvesThem() {
        DvvSet a = DvvSet.empty().update(VersionVector.empty(), bytes("x"), "a", 0, 1);
        DvvSet b = DvvSet.empty().update(VersionVector.empty(), bytes("y"), "b", 0, 2);
        DvvSet both = a.merge(b);
        assertEquals(2, both.siblings().size());
        DvvSet resolved = both.update(both.context(), bytes("z"), "a", 0, 3);
        assertEquals(1, resolved.siblings().size());
        assertEquals("z", new String(resolved.siblings().get(0).value(), StandardCharsets.UTF_8));
        assertEquals(resolved, resolved.merge(a).merge(b), "old siblings do not come back");
    }

    /**
     * The sibling explosion plain version vectors suffer: k clients loop read-modify-write
     * through the same few coordinators, interleaved. With dots, each write removes what its
     * read saw (the writer's own previous value included), so at most one sibling per client is
     * ever left; with a per-server version vector each would look concurrent with the rest.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void siblingsStayBoundedByConcurrentClientsUnderReadModifyWrite(long seed) {
        Random random = new Random(seed);
        int clients = 2 + random.nextInt(4);
        StateHistory history = new StateHistory(new Random(0), 0);
        VersionVector[] contexts = new VersionVector[clients];
        boolean[] hasRead = new boolean[clients];
        int maxSiblings = 0;
        for (int round = 0; round < 400; round++) {
            int client = random.nextInt(clients);
            int replica = random.nextInt(3);
            if (!hasRead[client]) {
                // a quorum read: two of the three replicas, merged (it meets every write's two copies)
                contexts[client] = history.replicas[replica].merge(history.replicas[(replica + 1) % 3]).context();
                hasRead[client] = true;
            } else {
                DvvSet after = history.write(replica, contexts[client], bytes("c" + client + "r" + round), round);
                history.replicas[(replica + 1) % 3] = history.replicas[(replica + 1) % 3].merge(after);
                hasRead[client] = false;
            }
            DvvSet all = history.replicas[0].merge(history.replicas[1]).merge(history.replicas[2]);
            maxSiblings = Math.max(maxSiblings, all.siblings().size());
            assertTrue(all.siblings().size() <= clients,
                    "round " + round + ": " + all.siblings().size() + " siblings for " + clients + " clients");
        }
        assertTrue(maxSiblings >= 1);
    }

    @Test
    void aDotIsNeverIssuedTwiceWhenTheCallerKeepsANodeWideCounter() {
        Random random = new Random(3);
        StateHistory history = new StateHistory(random, 300);
        Set<Dot> dots = new HashSet<>();
        for (DvvSet state : history.states) {
            for (Sibling s : state.siblings()) {
                dots.add(s.dot());
            }
        }
        DvvSet collected = DvvSet.empty(); // the key was collected everywhere
        long floor = history.replicas[0].context().get("a");
        Dot next = collected.nextDot("a", VersionVector.empty(), floor);
        assertFalse(dots.contains(next));
    }

    private static boolean contains(DvvSet state, Sibling sibling) {
        return state.siblings().contains(sibling);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
