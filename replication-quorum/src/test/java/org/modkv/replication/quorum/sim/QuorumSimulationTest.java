package org.modkv.replication.quorum.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.modkv.replication.quorum.coordinator.Outcome;
import org.modkv.replication.quorum.coordinator.QuorumSettings;
import org.modkv.replication.quorum.replica.Key;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.Dot;
import org.modkv.replication.quorum.version.TombstoneGcSettings;
import org.modkv.replication.quorum.version.VersionVector;

/**
 * Seeded runs of several replicas and coordinators (the pure core, driven by {@link SimNode}s)
 * under message loss, duplication, delays that reorder, partitions, and crashes that keep only
 * each node's durable store, checking the invariants of issue #16 (docs/design/quorum.md, "What
 * the simulation proves"):
 * <ul>
 *   <li>after healing and anti-entropy every home replica holds the same live values for every key;</li>
 *   <li>no acknowledged write is lost unless a write or delete that had seen it replaced it;</li>
 *   <li>no value a write or delete had seen comes back (no deleted key resurrects), tombstone
 *       collection included;</li>
 *   <li>with R + W &gt; N and no failures, a read sees every write acknowledged before it began,
 *       and last-writer-wins answers the latest.</li>
 * </ul>
 * A failure names its seed; {@code -Dquorum.sim.seed=S} replays one. {@code -Dquorum.sim.seeds=N} runs N seeds; the soak profile
 * ({@code -Dsoak}) runs 3000.
 */
class QuorumSimulationTest {
    private static final int SEEDS = Integer.getInteger("quorum.sim.seeds", System.getProperty("soak") != null ? 3000 : 300);
    /** Short enough that tombstones are collected within a run; the grace still covers hint TTL plus message age. */
    private static final TombstoneGcSettings GC = new TombstoneGcSettings(1_500, 1_000, 500);

    /** What the fault runs exercised, summed over seeds and printed once: a run that never collects a tombstone proves little. */
    private static final Totals TOTALS = new Totals();

    private static final class Totals {
        long runs;
        long acknowledged;
        long deletes;
        long readRepairs;
        long antiEntropyRepairs;
        long handoffs;
        long tombstonesCollected;

        synchronized void add(QuorumSimCluster.Stats stats, WriteHistory history) {
            runs++;
            acknowledged += history.ops.stream().filter(WriteHistory.Op::acknowledged).count();
            deletes += history.ops.stream().filter(o -> o.value == null).count();
            readRepairs += stats.readRepairs;
            antiEntropyRepairs += stats.antiEntropyRepairs;
            handoffs += stats.handoffs;
            tombstonesCollected += stats.tombstonesCollected;
        }

        @Override
        public String toString() {
            return runs + " fault runs: " + acknowledged + " acknowledged writes, " + deletes + " deletes, " + readRepairs
                    + " read repairs, " + antiEntropyRepairs + " anti-entropy exchanges that found differences, "
                    + handoffs + " hints handed off, " + tombstonesCollected + " tombstones collected";
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.getLogger(QuorumSimulationTest.class.getName()).log(System.Logger.Level.INFO, TOTALS.toString());
        if (TOTALS.runs >= 20) {
            assertTrue(TOTALS.readRepairs > 0 && TOTALS.antiEntropyRepairs > 0 && TOTALS.handoffs > 0
                    && TOTALS.tombstonesCollected > 0, "the fault runs did not exercise every path: " + TOTALS);
        }
    }

    static LongStream seeds() {
        Long one = Long.getLong("quorum.sim.seed");
        return one != null ? LongStream.of(one) : LongStream.rangeClosed(1, SEEDS);
    }

    private static final class Client {
        final Map<Key, VersionVector> contexts = new HashMap<>();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void replicasConvergeAndNoAcknowledgedWriteIsLostNorDeletedValueResurrected(long seed) {
        Random shape = new Random(seed);
        int size = shape.nextBoolean() ? 3 : 5;
        QuorumSettings quorum = switch (shape.nextInt(4)) {
            case 0 -> new QuorumSettings(3, 2, 2, true);
            case 1 -> new QuorumSettings(3, 1, 3, true);
            case 2 -> new QuorumSettings(2, 1, 2, true);
            default -> new QuorumSettings(3, 2, 2, false);
        };
        QuorumSimCluster cluster = new QuorumSimCluster(seed, size, quorum, GC);
        Random random = cluster.sim.random();
        cluster.faults(random.nextDouble() * 0.1, random.nextDouble() * 0.05, 1 + random.nextInt(25));
        List<Key> keys = keys(random);
        List<Client> clients = List.of(new Client(), new Client(), new Client(), new Client());
        WriteHistory history = new WriteHistory();
        int[] next = {0};
        try {
            for (int step = 0; step < 150; step++) {
                injectFault(cluster, random);
                // quiet spells (no client operations, faults go on) give tombstones time to be collected mid-run
                boolean quiet = step % 50 >= 40;
                for (int i = random.nextInt(3); i >= 0 && !quiet; i--) {
                    clientOperation(cluster, random, clients, keys, history, next, null);
                }
                cluster.sim.runFor(Duration.ofMillis(quiet ? 200 : 20));
            }
            cluster.heal();
            cluster.faults(0, 0, 5);
            cluster.nodes.values().stream().filter(n -> !n.isUp()).forEach(SimNode::start);
            boolean converged = false;
            for (int round = 0; round < 240 && !converged; round++) {
                cluster.sim.runFor(Duration.ofMillis(250));
                converged = converged(cluster, keys);
            }
            assertTrue(converged, "the replicas did not converge within 60 s of virtual time after healing");
            history.checkConverged(key -> homeState(cluster, key));
            // and they stay converged while the tombstones left are collected (a copy re-planted by
            // anti-entropy from a replica that had not collected yet can take a few more rounds)
            boolean collected = false;
            for (int round = 0; round < 120 && !collected; round++) {
                cluster.sim.runFor(Duration.ofMillis(250));
                collected = cluster.nodes.values().stream().allMatch(n -> n.replica().tombstoneCount() == 0);
            }
            assertTrue(converged(cluster, keys), "the replicas diverged again after converging");
            history.checkConverged(key -> homeState(cluster, key));
            for (SimNode node : cluster.nodes.values()) {
                assertEquals(0, node.replica().tombstoneCount(),
                        node.id + " still holds tombstones 30 s of virtual time after all went quiet");
            }
            TOTALS.add(cluster.stats, history);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (" + size + " nodes, " + quorum + ", " + cluster.stats + "): "
                    + e.getMessage(), e);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void withOverlappingQuorumsAndNoFailuresAReadSeesEveryWriteAcknowledgedBeforeIt(long seed) {
        Random shape = new Random(seed);
        int size = shape.nextBoolean() ? 3 : 5;
        QuorumSettings quorum = shape.nextBoolean() ? new QuorumSettings(3, 2, 2, true) : new QuorumSettings(3, 1, 3, true);
        QuorumSimCluster cluster = new QuorumSimCluster(seed, size, quorum, GC);
        Random random = cluster.sim.random();
        cluster.faults(0, 0, 2 + random.nextInt(27)); // delays up to 28 ms, below half the 60 ms reply timeout: no request times out
        List<Key> keys = keys(random).subList(0, 4);
        List<Client> clients = List.of(new Client(), new Client(), new Client());
        WriteHistory history = new WriteHistory();
        int[] next = {0};
        int[] checked = {0};
        try {
            for (int step = 0; step < 120; step++) {
                for (int i = random.nextInt(3); i >= 0; i--) {
                    clientOperation(cluster, random, clients, keys, history, next, checked);
                }
                cluster.sim.runFor(Duration.ofMillis(5 + random.nextInt(20)));
            }
            cluster.sim.runFor(Duration.ofSeconds(2));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (" + size + " nodes, " + quorum + "): " + e.getMessage(), e);
        }
        assertTrue(checked[0] > 0, "seed " + seed + ": no read was checked");
    }

    private static List<Key> keys(Random random) {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.add(key("k" + i));
        }
        keys.add(key("{user1}:a"));
        keys.add(key("{user1}:b"));
        java.util.Collections.shuffle(keys, random);
        return keys;
    }

    /** One client operation; with {@code checked} non-null, every successful read is checked for freshness. */
    private static void clientOperation(QuorumSimCluster cluster, Random random, List<Client> clients, List<Key> keys,
            WriteHistory history, int[] next, int[] checked) {
        Client client = clients.get(random.nextInt(clients.size()));
        Key key = keys.get(random.nextInt(keys.size()));
        List<SimNode> homes = new ArrayList<>();
        for (String id : cluster.ring.preferenceList(key.bytes(), cluster.quorum.n())) {
            if (cluster.nodes.get(id).isUp()) {
                homes.add(cluster.nodes.get(id));
            }
        }
        if (homes.isEmpty()) {
            return;
        }
        SimNode node = homes.get(random.nextInt(homes.size()));
        int kind = random.nextInt(20);
        if (kind < 8) {
            long start = cluster.sim.nowNanos();
            node.read(key, get -> {
                if (get.outcome() == Outcome.SUCCEEDED) {
                    client.contexts.put(key, get.result().context());
                    if (checked != null) {
                        history.checkFreshRead(key, get.result(), start);
                        checked[0]++;
                    }
                }
            });
            return;
        }
        VersionVector context = random.nextInt(5) == 0 ? VersionVector.empty()
                : client.contexts.getOrDefault(key, VersionVector.empty());
        String value = kind < 17 ? "v" + next[0]++ : null;
        long start = cluster.sim.nowNanos();
        WriteHistory.Op[] op = new WriteHistory.Op[1];
        long[] acknowledgedAt = {-1};
        DvvSet state = node.write(key, context, value == null ? null : value.getBytes(StandardCharsets.UTF_8), put -> {
            if (put.outcome() == Outcome.SUCCEEDED) {
                acknowledgedAt[0] = cluster.sim.nowNanos();
                if (op[0] != null) {
                    op[0].ackNanos = acknowledgedAt[0];
                }
            }
        });
        op[0] = history.issued(key, value, new Dot(node.id, state.context().get(node.id)), context,
                cluster.sim.clock().currentTimeMillis(), start);
        op[0].ackNanos = acknowledgedAt[0]; // W reached at once (W=1: the coordinator's own durable copy)
    }

    private static void injectFault(QuorumSimCluster cluster, Random random) {
        int dice = random.nextInt(100);
        List<String> ids = new ArrayList<>(cluster.nodes.keySet());
        if (dice < 4) {
            SimNode victim = cluster.nodes.get(ids.get(random.nextInt(ids.size())));
            if (victim.isUp()) {
                victim.crash();
            }
        } else if (dice < 10) {
            cluster.nodes.values().stream().filter(n -> !n.isUp()).findFirst().ifPresent(SimNode::start);
        } else if (dice < 13) {
            Set<String> side = new HashSet<>();
            for (String id : ids) {
                if (random.nextBoolean()) {
                    side.add(id);
                }
            }
            cluster.partition(side);
        } else if (dice < 17) {
            cluster.heal();
        }
    }

    /** Every home replica of every key holds the same live values. */
    private static boolean converged(QuorumSimCluster cluster, List<Key> keys) {
        for (Key key : keys) {
            Set<String> first = null;
            for (String id : cluster.ring.preferenceList(key.bytes(), cluster.quorum.n())) {
                Set<String> live = new TreeSet<>(WriteHistory.liveValues(cluster.nodes.get(id).replica().get(key)));
                if (first == null) {
                    first = live;
                } else if (!first.equals(live)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static DvvSet homeState(QuorumSimCluster cluster, Key key) {
        String home = cluster.ring.preferenceList(key.bytes(), cluster.quorum.n()).get(0);
        return cluster.nodes.get(home).replica().get(key);
    }

    private static Key key(String s) {
        return Key.of(s.getBytes(StandardCharsets.UTF_8));
    }
}
