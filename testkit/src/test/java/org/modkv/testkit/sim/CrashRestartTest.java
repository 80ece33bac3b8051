package org.modkv.testkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.PeerNetwork;

/**
 * The whole kit together, the way a replication test uses it: a leader ships log entries to a
 * follower that acknowledges them once durable; the follower crashes and restarts on what
 * survived. Every acknowledged entry must be there after the restart.
 */
class CrashRestartTest {
    private static final Set<String> CLUSTER = Set.of("leader", "follower");

    @Test
    void acknowledgedEntriesSurviveACrashAndShippingResumesAfterTheRestart() {
        for (long seed = 1; seed <= 20; seed++) {
            runOnce(seed);
        }
    }

    private static void runOnce(long seed) {
        Simulation sim = new Simulation(seed);
        sim.network().delay(Duration.ofMillis(1), Duration.ofMillis(8));
        sim.network().lossRate(0.05);
        sim.network().duplicateRate(0.05);
        TreeSet<Long> acked = new TreeSet<>();
        List<byte[]> shipped = new ArrayList<>();

        PeerNetwork leader = sim.network().join("leader", CLUSTER);
        SimulatedScheduler leaderScheduler = sim.scheduler("leader");
        Runnable[] ship = new Runnable[1];
        ship[0] = () -> {
            long next = acked.isEmpty() ? 1 : acked.last() + 1;
            if (next > shipped.size()) {
                shipped.add(("entry-" + next + "-" + sim.random().nextInt(1000)).getBytes(StandardCharsets.UTF_8));
            }
            byte[] entry = shipped.get((int) next - 1);
            byte[] message = ByteBuffer.allocate(8 + entry.length).putLong(next).put(entry).array();
            leader.request("follower", "append", message, 30).whenComplete((reply, failure) -> {
                if (failure == null) {
                    long upTo = ByteBuffer.wrap(reply).getLong();
                    for (long i = 1; i <= upTo; i++) {
                        acked.add(i);
                    }
                }
            });
            leaderScheduler.schedule(2, TimeUnit.MILLISECONDS, ship[0]);
        };
        leaderScheduler.execute(ship[0]);

        SimulatedStorage storage = new SimulatedStorage(sim, "follower");
        startFollower(sim, storage);
        long crashAtMs = 50 + sim.random().nextInt(100);
        sim.runFor(Duration.ofMillis(crashAtMs));

        sim.crash("follower");
        TreeSet<Long> ackedBeforeCrash = new TreeSet<>(acked);
        SimulatedStorage restarted = storage.crashCopy();
        SimulatedDurableLog log = restarted.log("raft");
        String context = "seed " + seed + ", crash at " + crashAtMs + " ms";
        assertTrue(ackedBeforeCrash.size() >= 3, context + ": acked " + ackedBeforeCrash.size());
        assertTrue(log.lastIndex() >= ackedBeforeCrash.last(), context + ": an acknowledged entry was lost");
        for (long i = 1; i <= log.lastIndex(); i++) {
            assertEquals(new String(shipped.get((int) i - 1), StandardCharsets.UTF_8),
                    new String(log.read(i), StandardCharsets.UTF_8), context);
        }

        sim.runFor(Duration.ofMillis(20)); // the follower is down: nothing more is acknowledged
        assertEquals(ackedBeforeCrash, acked, context);
        startFollower(sim, restarted);
        assertTrue(sim.runUntil(() -> acked.size() >= ackedBeforeCrash.size() + 10, Duration.ofSeconds(5)), context);
        assertTrue(restarted.log("raft").durableIndex() >= acked.last(), context);
    }

    /** The follower: appends the next entry to its log and answers with its durable index once durable. */
    private static void startFollower(Simulation sim, SimulatedStorage storage) {
        PeerNetwork network = sim.network().join("follower", CLUSTER);
        SimulatedDurableLog log = storage.log("raft");
        network.register("append", (from, message) -> {
            ByteBuffer buffer = ByteBuffer.wrap(message);
            long index = buffer.getLong();
            byte[] entry = new byte[buffer.remaining()];
            buffer.get(entry);
            if (index == log.lastIndex() + 1) {
                return log.append(entry).thenApply(durable -> ByteBuffer.allocate(8).putLong(durable).array());
            }
            long durable = Math.min(log.durableIndex(), index);
            return CompletableFuture.completedFuture(ByteBuffer.allocate(8).putLong(durable).array());
        });
    }
}
