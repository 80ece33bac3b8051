package org.modkv.replication.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.modkv.api.replication.Consistency;
import org.modkv.testkit.linearizability.History;
import org.modkv.testkit.linearizability.LinearizabilityChecker;
import org.modkv.testkit.linearizability.RegisterOperation;

/**
 * Randomized runs under faults: message loss, duplication, delays that reorder, partitions,
 * crashes that lose what was not durable, restarts, and log compaction with snapshot installs.
 * Checked after every event: at most one leader per term. Checked during the run: a linearizable
 * read of an acknowledged write sees it. Checked at the end (after healing): every node holds the
 * same data, and every acknowledged write is in it. A failure names its seed;
 * {@code -Draft.sim.seeds=N} runs more seeds (the soak profile runs 500).
 */
class RaftFaultSimulationTest {
    private static final int SEEDS = Integer.getInteger("raft.sim.seeds", System.getProperty("soak") != null ? 500 : 40);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noAcknowledgedWriteIsLostAndAllNodesConverge(long seed, @org.junit.jupiter.api.io.TempDir Path dir) {
        Random random = new Random(seed);
        int size = random.nextBoolean() ? 3 : 5;
        Map<String, String> config = new HashMap<>(RaftSimulationTest.FAST);
        config.put("raft.snapshot.entries", String.valueOf(5 + random.nextInt(40)));
        config.put("raft.snapshot.chunk.bytes", "1024");
        config.put("raft.max.append.entries", String.valueOf(1 + random.nextInt(20)));
        SimCluster cluster = new SimCluster(seed, size, dir, config);
        cluster.sim.network().delay(Duration.ofMillis(1), Duration.ofMillis(1 + random.nextInt(25)));
        cluster.sim.network().lossRate(random.nextDouble() * 0.1);
        cluster.sim.network().duplicateRate(random.nextDouble() * 0.05);
        cluster.startAll();

        Map<String, String> acknowledged = new LinkedHashMap<>();
        List<CompletableFuture<?>> reads = new ArrayList<>();
        int next = 0;
        for (int step = 0; step < 150; step++) {
            injectFault(cluster, random, size);
            for (int w = random.nextInt(4); w > 0; w--) {
                List<String> running = new ArrayList<>(cluster.upIds());
                String via = running.get(random.nextInt(running.size()));
                String key = "k" + next;
                String value = "v" + next + "-" + seed;
                next++;
                cluster.put(via, key, value).thenRun(() -> {
                    acknowledged.put(key, value);
                    List<String> readers = new ArrayList<>(cluster.upIds());
                    String reader = readers.get(random.nextInt(readers.size()));
                    reads.add(cluster.get(reader, key, Consistency.DEFAULT).thenAccept(read ->
                            assertEquals(Optional.of(value), read, "linearizable read of acknowledged " + key
                                    + " via " + reader + " (seed " + seed + ")")));
                });
            }
            cluster.run(Duration.ofMillis(20 + random.nextInt(150)));
        }

        cluster.sim.network().heal();
        cluster.sim.network().lossRate(0);
        for (String id : cluster.ids) {
            if (!cluster.upIds().contains(id)) {
                cluster.start(id);
            }
        }
        // A write in the final term commits every earlier entry; leadership may still change
        // while restarted nodes rejoin, so a write that fails with it is tried again (bounded).
        String leader = null;
        for (int attempt = 0; attempt < 10 && leader == null; attempt++) {
            String candidate = cluster.awaitLeader(Duration.ofSeconds(30));
            CompletableFuture<Long> marker = cluster.put(candidate, "final", "marker");
            cluster.sim.runUntil(marker::isDone, Duration.ofSeconds(30));
            if (marker.isDone() && !marker.isCompletedExceptionally()) {
                leader = candidate;
            }
        }
        assertTrue(leader != null, "the healed cluster took a write within 10 leaders (seed " + seed + ")");
        cluster.run(Duration.ofSeconds(3));
        leader = cluster.leader().orElseThrow();

        for (CompletableFuture<?> read : reads) {
            if (read.isDone() && read.isCompletedExceptionally()) {
                Throwable cause = read.handle((v, e) -> e).join();
                if (cause.getCause() instanceof AssertionError assertion) {
                    throw assertion;
                }
            }
        }
        Map<String, String> reference = cluster.contents(leader);
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
            assertEquals(write.getValue(), reference.get(write.getKey()),
                    "acknowledged write " + write.getKey() + " on the leader " + leader + " (seed " + seed + ")");
        }
        for (String id : cluster.ids) {
            assertEquals(reference, cluster.contents(id), "node " + id + " converged with " + leader + " (seed " + seed + ")");
        }
        assertTrue(acknowledged.size() > 0, "some writes were acknowledged (seed " + seed + ")");
    }

    /** One random step of faults: crash, restart, partition or heal, or nothing. */
    private static void injectFault(SimCluster cluster, Random random, int size) {
        List<String> up = new ArrayList<>(cluster.upIds());
        double fault = random.nextDouble();
        if (fault < 0.04 && up.size() > 1) {
            cluster.crash(up.get(random.nextInt(up.size())));
        } else if (fault < 0.10) {
            List<String> down = cluster.ids.stream().filter(id -> !up.contains(id)).toList();
            if (!down.isEmpty()) {
                cluster.start(down.get(random.nextInt(down.size())));
            }
        } else if (fault < 0.13) {
            List<String> shuffled = new ArrayList<>(cluster.ids);
            java.util.Collections.shuffle(shuffled, random);
            int cut = 1 + random.nextInt(size - 1);
            cluster.sim.network().partition(Set.copyOf(shuffled.subList(0, cut)), Set.copyOf(shuffled.subList(cut, size)));
        } else if (fault < 0.20) {
            cluster.sim.network().heal();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void historiesOfOverwritesDeletesAndReadsAreLinearizable(long seed, @org.junit.jupiter.api.io.TempDir Path dir) {
        Random random = new Random(seed ^ 0x5eed);
        int size = random.nextBoolean() ? 3 : 5;
        Map<String, String> config = new HashMap<>(RaftSimulationTest.FAST);
        config.put("raft.snapshot.entries", String.valueOf(5 + random.nextInt(40)));
        config.put("raft.snapshot.chunk.bytes", "1024");
        // Requests give up sooner, so that fewer operations overlap and the check stays small.
        config.put("raft.request.timeout.ms", "1000");
        SimCluster cluster = new SimCluster(seed, size, dir, config);
        cluster.sim.network().delay(Duration.ofMillis(1), Duration.ofMillis(1 + random.nextInt(25)));
        cluster.sim.network().lossRate(random.nextDouble() * 0.1);
        cluster.sim.network().duplicateRate(random.nextDouble() * 0.05);
        cluster.startAll();
        History history = new History(cluster.sim::nowNanos);
        int process = 0;
        for (int step = 0; step < 150; step++) {
            injectFault(cluster, random, size);
            for (int op = random.nextInt(5); op > 0; op--) {
                List<String> running = new ArrayList<>(cluster.upIds());
                String via = running.get(random.nextInt(running.size()));
                String key = "k" + random.nextInt(8);
                int who = process++;
                double kind = random.nextDouble();
                if (kind < 0.45) {
                    History.Pending read = history.invokeRead(who, key);
                    cluster.get(via, key, Consistency.DEFAULT).whenComplete((value, error) -> {
                        if (error == null) {
                            read.read(value.orElse(null));
                        } else {
                            read.failed();
                        }
                    });
                } else {
                    String value = kind < 0.95 ? "v" + who : null;
                    History.Pending write = history.invokeWrite(who, key, value);
                    CompletableFuture<Long> done = value == null ? cluster.delete(via, key) : cluster.put(via, key, value);
                    done.whenComplete((sequence, error) -> {
                        if (error == null) {
                            write.written();
                        } else {
                            write.failed();
                        }
                    });
                }
            }
            cluster.run(Duration.ofMillis(20 + random.nextInt(150)));
        }
        cluster.sim.network().heal();
        cluster.run(Duration.ofSeconds(10));
        List<RegisterOperation> operations = history.operations();
        assertTrue(operations.stream().anyMatch(op -> op.kind() == RegisterOperation.Kind.READ && op.value() != null),
                "some reads saw a value (seed " + seed + ")");
        Optional<String> violation = LinearizabilityChecker.check(operations);
        assertTrue(violation.isEmpty(), () -> "seed " + seed + ": " + violation.get());
    }
}
