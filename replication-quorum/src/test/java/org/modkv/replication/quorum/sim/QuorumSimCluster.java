package org.modkv.replication.quorum.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.modkv.replication.quorum.coordinator.QuorumSettings;
import org.modkv.replication.quorum.ring.HashRing;
import org.modkv.replication.quorum.version.TombstoneGcSettings;
import org.modkv.testkit.sim.Simulation;

/**
 * A ring of {@link SimNode}s on one testkit {@link Simulation} (its seeded random, virtual clock,
 * event queue and crash generations), joined by an object network with loss, duplication, delay
 * (reordering) and partitions. A message is delivered as an event on the receiver's current
 * scheduler: if the receiver crashes before it arrives, it is dropped with the old incarnation.
 */
final class QuorumSimCluster {
    /** Counters over a run, for the report and for checking that the faults did exercise the paths. */
    static final class Stats {
        long sent;
        long dropped;
        long readRepairs;
        long antiEntropyRepairs;
        long handoffs;
        long tombstonesCollected;

        @Override
        public String toString() {
            return "sent=" + sent + " dropped=" + dropped + " readRepairs=" + readRepairs + " antiEntropyRepairs="
                    + antiEntropyRepairs + " handoffs=" + handoffs + " tombstonesCollected=" + tombstonesCollected;
        }
    }

    final Simulation sim;
    final HashRing ring;
    final QuorumSettings quorum;
    final TombstoneGcSettings gc;
    final TreeMap<String, SimNode> nodes = new TreeMap<>();
    final Stats stats = new Stats();
    private double lossRate;
    private double duplicateRate;
    private long minDelayNanos = TimeUnit.MILLISECONDS.toNanos(1);
    private long maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(5);
    private Set<String> partitionSide;
    private long nextId;

    QuorumSimCluster(long seed, int size, QuorumSettings quorum, TombstoneGcSettings gc) {
        this.sim = new Simulation(seed);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        this.ring = HashRing.of(ids, 16);
        this.quorum = quorum;
        this.gc = gc;
        for (String id : ids) {
            nodes.put(id, new SimNode(id, this));
        }
        nodes.values().forEach(SimNode::start);
    }

    void faults(double loss, double duplicate, long maxDelayMillis) {
        lossRate = loss;
        duplicateRate = duplicate;
        maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
    }

    /** Nodes in {@code side} can reach each other only, the rest each other only. */
    void partition(Set<String> side) {
        partitionSide = new HashSet<>(side);
    }

    void heal() {
        partitionSide = null;
    }

    boolean canReach(String from, String to) {
        return partitionSide == null || partitionSide.contains(from) == partitionSide.contains(to);
    }

    long nextId() {
        return ++nextId;
    }

    void send(String from, String to, SimMessage message) {
        stats.sent++;
        SimNode receiver = nodes.get(to);
        if (!receiver.isUp() || !canReach(from, to) || sim.random().nextDouble() < lossRate) {
            stats.dropped++;
            return;
        }
        int copies = sim.random().nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = minDelayNanos + (long) (sim.random().nextDouble() * (maxDelayNanos - minDelayNanos));
            receiver.scheduler().schedule(delay, TimeUnit.NANOSECONDS, () -> {
                if (canReach(from, to)) {
                    receiver.receive(from, message);
                } else {
                    stats.dropped++;
                }
            });
        }
    }
}
