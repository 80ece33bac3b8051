package org.modkv.replication.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.ReplicationRole;

/** Raft in a deterministic simulation: elections, replication, failover, partitions, snapshots. */
class RaftSimulationTest {
    static final Map<String, String> FAST = Map.of(
            "raft.election.timeout.ms", "150",
            "raft.heartbeat.interval.ms", "30",
            "raft.request.timeout.ms", "3000");

    @TempDir
    Path dir;

    private static Map<String, String> fast(String... more) {
        Map<String, String> config = new HashMap<>(FAST);
        for (int i = 0; i < more.length; i += 2) {
            config.put(more[i], more[i + 1]);
        }
        return config;
    }

    @Test
    void aSingleNodeClusterLeadsAtOnceAndServesWritesAndReads() {
        SimCluster cluster = new SimCluster(1, 1, dir, FAST);
        cluster.startAll();
        assertEquals("n1", cluster.awaitLeader(Duration.ofSeconds(1)));
        cluster.await(cluster.put("n1", "k", "v"), Duration.ofSeconds(1));
        assertEquals(Optional.of("v"), cluster.await(cluster.get("n1", "k", Consistency.DEFAULT), Duration.ofSeconds(1)));
        assertEquals(ReplicationRole.LEADER, cluster.member("n1").replication.node().status().role());
    }

    @Test
    void threeNodesElectOneLeaderAndEveryNodeServesWritesAndLinearizableReads() {
        SimCluster cluster = new SimCluster(2, 3, dir, FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        // What INFO and stats read, from other threads: published at role changes and every tick.
        assertEquals(ReplicationRole.LEADER, cluster.member(leader).replication.status().role());
        cluster.run(Duration.ofMillis(100));
        for (String id : cluster.ids) {
            var status = cluster.member(id).replication.status();
            assertEquals(id.equals(leader) ? ReplicationRole.LEADER : ReplicationRole.FOLLOWER, status.role(), id);
            assertEquals(Optional.of(leader), status.leaderId(), id);
            assertEquals(cluster.member(leader).raft().term(), status.details().get("raft_term"), id);
        }
        for (String via : cluster.ids) {
            cluster.await(cluster.put(via, "key-" + via, "value-" + via), Duration.ofSeconds(5));
        }
        for (String via : cluster.ids) {
            for (String written : cluster.ids) {
                assertEquals(Optional.of("value-" + written),
                        cluster.await(cluster.get(via, "key-" + written, Consistency.DEFAULT), Duration.ofSeconds(5)),
                        "read of key-" + written + " via " + via);
            }
        }
        cluster.run(Duration.ofMillis(500));
        Map<String, String> expected = cluster.contents(leader);
        assertEquals(3, expected.size());
        for (String id : cluster.ids) {
            assertEquals(expected, cluster.contents(id), "storage of " + id);
            assertEquals(Optional.of(leader), cluster.member(id).raft().leaderId(), "leader known to " + id);
        }
    }

    @Test
    void aWriteThroughAFollowerIsReadableThereAsSoonAsItIsAcknowledged() {
        SimCluster cluster = new SimCluster(3, 3, dir, FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        String follower = cluster.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        for (int i = 0; i < 20; i++) {
            cluster.await(cluster.put(follower, "k", "v" + i), Duration.ofSeconds(5));
            // ONE reads the follower's own storage: the forwarded write waited until it was applied here.
            assertEquals(Optional.of("v" + i), cluster.await(cluster.get(follower, "k", Consistency.ONE), Duration.ofSeconds(1)));
        }
    }

    @Test
    void whenTheLeaderCrashesAnotherTakesOverAndEveryAcknowledgedWriteSurvives() {
        SimCluster cluster = new SimCluster(4, 3, dir, FAST);
        cluster.startAll();
        String first = cluster.awaitLeader(Duration.ofSeconds(5));
        for (int i = 0; i < 50; i++) {
            cluster.await(cluster.put(first, "k" + i, "v" + i), Duration.ofSeconds(5));
        }
        long start = cluster.sim.nowNanos();
        cluster.crash(first);
        String second = cluster.awaitLeader(Duration.ofSeconds(5));
        assertNotEquals(first, second);
        long failoverMillis = (cluster.sim.nowNanos() - start) / 1_000_000;
        // Pre-vote waits for a whole election timeout without the leader, then one round: well
        // under four timeouts (600 ms simulated) unless elections split.
        assertTrue(failoverMillis < 1500, "failover took " + failoverMillis + " ms simulated");
        String survivor = second;
        for (int i = 0; i < 50; i++) {
            assertEquals(Optional.of("v" + i), cluster.await(cluster.get(survivor, "k" + i, Consistency.DEFAULT),
                    Duration.ofSeconds(5)));
        }
        cluster.await(cluster.put(survivor, "after", "failover"), Duration.ofSeconds(5));
        cluster.start(first);
        cluster.run(Duration.ofSeconds(1));
        assertEquals(cluster.contents(second), cluster.contents(first), "the restarted node caught up");
        assertEquals(51, cluster.contents(first).size());
        assertEquals(RaftNode.Role.FOLLOWER, cluster.member(first).raft().role());
    }

    @Test
    void writesAndReadsThroughAFollowerRightAfterTheLeaderDiedWaitForTheNextLeaderInsteadOfFailing() {
        SimCluster cluster = new SimCluster(10, 3, dir, FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        String follower = cluster.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        cluster.await(cluster.put(follower, "k", "before"), Duration.ofSeconds(5));
        cluster.crash(leader);
        // The follower still takes the dead node for leader: its forward is refused (never sent),
        // so it waits for the election and sends the write to the new leader.
        assertEquals(Optional.of(leader), cluster.member(follower).raft().leaderId());
        CompletableFuture<Long> write = cluster.put(follower, "k", "during-election");
        CompletableFuture<Optional<String>> read = cluster.get(follower, "k", Consistency.DEFAULT);
        cluster.await(write, Duration.ofSeconds(5));
        assertTrue(cluster.await(read, Duration.ofSeconds(5)).isPresent());
        assertEquals(Optional.of("during-election"),
                cluster.await(cluster.get(follower, "k", Consistency.DEFAULT), Duration.ofSeconds(5)));
        assertNotEquals(leader, cluster.leader().orElseThrow());
    }

    @Test
    void aLeaderThatStopsCleanlyHandsOverWithoutWaitingForAnElectionTimeout() {
        SimCluster cluster = new SimCluster(11, 3, dir, FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) {
            cluster.await(cluster.put(leader, "k" + i, "v" + i), Duration.ofSeconds(5));
        }
        long term = cluster.member(leader).raft().term();
        long stoppedAt = cluster.sim.nowNanos();
        cluster.member(leader).raft().stop(); // what close() runs on the Raft thread
        String next = cluster.awaitLeader(Duration.ofSeconds(5));
        long handOverMillis = (cluster.sim.nowNanos() - stoppedAt) / 1_000_000;
        assertNotEquals(leader, next);
        assertEquals(term + 1, cluster.member(next).raft().term(), "one election, no pre-vote, no split vote");
        // Simulated time: well under the 150 ms a follower waits before it even asks for a pre-vote.
        assertTrue(handOverMillis < 100, "hand-over took " + handOverMillis + " ms simulated");
        cluster.await(cluster.put(next, "after", "hand-over"), Duration.ofSeconds(5));
    }

    @Test
    void aFollowerCutOffDoesNotRaiseTermsAndDoesNotUnseatTheLeaderWhenItReturns() {
        SimCluster cluster = new SimCluster(5, 3, dir, FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        long term = cluster.member(leader).raft().term();
        String loner = cluster.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        cluster.sim.network().isolate(loner);
        cluster.run(Duration.ofSeconds(5));
        assertEquals(term, cluster.member(loner).raft().term(), "pre-vote keeps an isolated node's term");
        cluster.sim.network().heal();
        cluster.run(Duration.ofSeconds(2));
        assertEquals(Optional.of(leader), cluster.leader());
        assertEquals(term, cluster.member(leader).raft().term());
    }

    @Test
    void aLeaderCutOffFromTheMajorityStepsDownAndTheMajorityElectsAnother() {
        SimCluster cluster = new SimCluster(6, 5, dir, FAST);
        cluster.startAll();
        String old = cluster.awaitLeader(Duration.ofSeconds(5));
        cluster.sim.network().isolate(old);
        CompletableFuture<Long> stranded = cluster.put(old, "stranded", "x");
        cluster.run(Duration.ofSeconds(2));
        assertNotEquals(RaftNode.Role.LEADER, cluster.member(old).raft().role(), "check-quorum: the old leader stepped down");
        String other = cluster.leader().orElseThrow();
        assertNotEquals(old, other);
        cluster.await(cluster.put(other, "k", "v"), Duration.ofSeconds(5));
        cluster.run(Duration.ofSeconds(2));
        assertTrue(stranded.isCompletedExceptionally(), "a write the isolated leader could not commit fails");
        cluster.sim.network().heal();
        cluster.run(Duration.ofSeconds(2));
        for (String id : cluster.ids) {
            assertEquals(Optional.empty(), Optional.ofNullable(cluster.contents(id).get("stranded")), id);
            assertEquals("v", cluster.contents(id).get("k"), id);
        }
    }

    @Test
    void aFollowerThatMissedCompactedEntriesCatchesUpFromASnapshot() {
        SimCluster cluster = new SimCluster(7, 3, dir, fast("raft.snapshot.entries", "10",
                "raft.snapshot.chunk.bytes", "1024"));
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        String behind = cluster.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        cluster.crash(behind);
        for (int i = 0; i < 100; i++) {
            cluster.await(cluster.put(leader, "k" + i, "value-" + i + "-" + "x".repeat(50)), Duration.ofSeconds(5));
        }
        cluster.await(cluster.put(leader, "k0", "rewritten"), Duration.ofSeconds(5));
        cluster.run(Duration.ofMillis(500));
        assertTrue(cluster.member(leader).raft().status().details().get("raft_snapshot_index") instanceof Long s && s > 0,
                "the leader compacted its log");
        cluster.start(behind);
        cluster.run(Duration.ofSeconds(3));
        assertEquals(cluster.contents(leader), cluster.contents(behind));
        assertEquals("rewritten", cluster.contents(behind).get("k0"));
        cluster.await(cluster.put(behind, "later", "yes"), Duration.ofSeconds(5));
        cluster.run(Duration.ofMillis(500));
        assertEquals("yes", cluster.contents(behind).get("later"));
    }

    @Test
    void aSnapshotInstallTellsTheCommitListenerToRebuildWhatItDerivedFromStorage() {
        SimCluster cluster = new SimCluster(11, 3, dir, fast("raft.snapshot.entries", "10",
                "raft.snapshot.chunk.bytes", "1024"));
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        String behind = cluster.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        cluster.await(cluster.put(leader, "old", "before"), Duration.ofSeconds(5));
        cluster.run(Duration.ofMillis(300));
        cluster.crash(behind);
        cluster.await(cluster.delete(leader, "old"), Duration.ofSeconds(5));
        for (int i = 0; i < 60; i++) {
            cluster.await(cluster.put(leader, "k" + i, "v" + i), Duration.ofSeconds(5));
        }
        cluster.run(Duration.ofMillis(500));
        cluster.start(behind);
        assertEquals("before", cluster.member(behind).derived.get("old"), "derived from storage at start");
        cluster.run(Duration.ofSeconds(3));
        assertEquals(cluster.contents(leader), cluster.contents(behind));
        assertEquals(cluster.contents(behind), cluster.member(behind).derived,
                "what the listener derived matches storage after the snapshot install (the delete of 'old' too)");
        assertTrue(!cluster.member(behind).resets.isEmpty(), "the follower installed a snapshot and said so");
        cluster.await(cluster.put(leader, "later", "yes"), Duration.ofSeconds(5));
        cluster.run(Duration.ofMillis(500));
        assertEquals("yes", cluster.member(behind).derived.get("later"), "batches after the reset still arrive");
    }

    @Test
    void aClusterRestartedFromWhatWasDurableKeepsEveryAcknowledgedWrite() {
        SimCluster cluster = new SimCluster(8, 3, dir, fast("raft.snapshot.entries", "7"));
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            cluster.await(cluster.put(cluster.ids.get(i % 3), "k" + i, "v" + i), Duration.ofSeconds(5));
            acknowledged.put("k" + i, "v" + i);
        }
        long term = cluster.member(leader).raft().term();
        for (String id : cluster.ids) {
            cluster.crash(id);
        }
        cluster.startAll();
        String next = cluster.awaitLeader(Duration.ofSeconds(5));
        assertTrue(cluster.member(next).raft().term() > term, "a restarted cluster elects in a later term");
        for (Map.Entry<String, String> write : acknowledged.entrySet()) {
            assertEquals(Optional.of(write.getValue()), cluster.await(cluster.get(next, write.getKey(), Consistency.DEFAULT),
                    Duration.ofSeconds(5)));
        }
        cluster.run(Duration.ofSeconds(1));
        for (String id : cluster.ids) {
            assertEquals(acknowledged, cluster.contents(id), "storage of " + id);
        }
    }

    @Test
    void withNoMajorityWritesFailAfterTheRequestTimeoutInsteadOfHanging() {
        SimCluster cluster = new SimCluster(9, 3, dir, FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        List<String> others = cluster.ids.stream().filter(id -> !id.equals(leader)).toList();
        others.forEach(cluster::crash);
        CompletableFuture<Long> write = cluster.put(leader, "k", "v");
        cluster.sim.runUntil(write::isDone, Duration.ofSeconds(10));
        assertTrue(write.isCompletedExceptionally());
        Throwable cause = write.handle((v, e) -> e).join();
        while (cause.getCause() != null && !(cause instanceof org.modkv.api.ModkvException)) {
            cause = cause.getCause();
        }
        // Check-quorum makes the leader step down first, failing the write it cannot commit.
        assertEquals(org.modkv.api.ErrorCode.UNAVAILABLE, ((org.modkv.api.ModkvException) cause).code(), cause.getMessage());
        assertEquals(Set.of(leader), cluster.upIds());
    }
}
