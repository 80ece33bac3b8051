package org.modkv.replication.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.Consistency;
import org.modkv.api.storage.WriteBatch;

/**
 * Conditional writes under Raft: decided by every node in log order, so that exactly one of
 * racing writes wins, whichever node each came through, and every replica holds the same value
 * with the same version (the entry's index).
 */
class RaftConditionalWriteTest {
    @TempDir
    Path dir;

    private static ConditionalWrite ifAbsent(String key, String value) {
        return new ConditionalWrite(List.of(Condition.absent(SimCluster.bytes(key))),
                new WriteBatch().put(SimCluster.bytes(key), SimCluster.bytes(value)));
    }

    private static ConditionalWrite ifVersion(String key, long version, String value) {
        return new ConditionalWrite(List.of(Condition.versionEquals(SimCluster.bytes(key), version)),
                new WriteBatch().put(SimCluster.bytes(key), SimCluster.bytes(value)));
    }

    @Test
    void ofRacingPutIfAbsentThroughEveryNodeExactlyOneWinsAndAllReplicasAgree() {
        SimCluster cluster = new SimCluster(11, 3, dir, RaftSimulationTest.FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        List<CompletableFuture<WriteOutcome>> racing = new ArrayList<>();
        for (String via : cluster.ids) {
            racing.add(cluster.writeIf(via, ifAbsent("lock", "owner-" + via)));
            racing.add(cluster.writeIf(via, ifAbsent("lock", "second-" + via)));
        }
        int won = 0;
        String winner = null;
        for (int i = 0; i < racing.size(); i++) {
            WriteOutcome outcome = cluster.await(racing.get(i), Duration.ofSeconds(5));
            if (outcome.applied()) {
                won++;
                winner = (i % 2 == 0 ? "owner-" : "second-") + cluster.ids.get(i / 2);
                assertTrue(outcome.version() > 0);
            }
        }
        assertEquals(1, won, "exactly one put-if-absent applies");
        for (String via : cluster.ids) {
            assertEquals(Optional.of(winner), cluster.await(cluster.get(via, "lock", Consistency.DEFAULT),
                    Duration.ofSeconds(5)), "read via " + via);
        }
        cluster.run(Duration.ofMillis(300));
        Map<String, Long> versions = cluster.versions(leader);
        for (String id : cluster.ids) {
            assertEquals(cluster.contents(leader), cluster.contents(id), "values on " + id);
            assertEquals(versions, cluster.versions(id), "versions on " + id);
        }
    }

    @Test
    void compareAndSetThroughAFollowerSucceedsOnTheCurrentVersionOnlyAndLosersWriteNothing() {
        SimCluster cluster = new SimCluster(12, 3, dir, RaftSimulationTest.FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        String follower = cluster.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        WriteOutcome first = cluster.await(cluster.writeIf(follower, ifAbsent("k", "v1")), Duration.ofSeconds(5));
        assertTrue(first.applied());
        assertEquals(first.version(), cluster.versions(follower).get("k"), "the version is the one answered");
        // Two CAS on the same version, through different nodes: one wins, the other sees a new version.
        CompletableFuture<WriteOutcome> viaFollower = cluster.writeIf(follower, ifVersion("k", first.version(), "v2"));
        CompletableFuture<WriteOutcome> viaLeader = cluster.writeIf(leader, ifVersion("k", first.version(), "v3"));
        WriteOutcome a = cluster.await(viaFollower, Duration.ofSeconds(5));
        WriteOutcome b = cluster.await(viaLeader, Duration.ofSeconds(5));
        assertTrue(a.applied() ^ b.applied(), "exactly one compare-and-set wins: " + a + ", " + b);
        String expected = a.applied() ? "v2" : "v3";
        long version = a.applied() ? a.version() : b.version();
        assertTrue(version > first.version());
        assertEquals(Optional.of(expected), cluster.await(cluster.get(follower, "k", Consistency.DEFAULT), Duration.ofSeconds(5)));
        WriteOutcome stale = cluster.await(cluster.writeIf(follower, ifVersion("k", first.version(), "v4")), Duration.ofSeconds(5));
        assertFalse(stale.applied());
        // A conditional delete on the current version.
        WriteOutcome deleted = cluster.await(cluster.writeIf(follower, new ConditionalWrite(
                List.of(Condition.versionEquals(SimCluster.bytes("k"), version)), new WriteBatch().delete(SimCluster.bytes("k")))),
                Duration.ofSeconds(5));
        assertTrue(deleted.applied());
        assertEquals(Optional.empty(), cluster.await(cluster.get(leader, "k", Consistency.DEFAULT), Duration.ofSeconds(5)));
    }

    @Test
    void conditionalWritesSurviveALeaderCrashAndAreNotDecidedTwice() {
        SimCluster cluster = new SimCluster(13, 3, dir, RaftSimulationTest.FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            assertTrue(cluster.await(cluster.writeIf(leader, ifAbsent("k" + i, "v" + i)), Duration.ofSeconds(5)).applied());
        }
        cluster.crash(leader);
        String next = cluster.awaitLeader(Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            assertFalse(cluster.await(cluster.writeIf(next, ifAbsent("k" + i, "again")), Duration.ofSeconds(5)).applied(),
                    "k" + i + " survived the crash, so put-if-absent finds it");
        }
        cluster.start(leader);
        cluster.run(Duration.ofSeconds(1));
        for (String id : cluster.ids) {
            assertEquals(cluster.contents(next), cluster.contents(id), "values on " + id);
            assertEquals(cluster.versions(next), cluster.versions(id), "versions on " + id);
        }
    }

    @Test
    void anExpiredKeyIsDeletedByAnOrdinaryReplicatedDeleteOnItsVersionAndARewrittenOneIsNot() {
        SimCluster cluster = new SimCluster(14, 3, dir, RaftSimulationTest.FAST);
        cluster.startAll();
        String leader = cluster.awaitLeader(Duration.ofSeconds(5));
        String follower = cluster.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        cluster.await(cluster.member(leader).replication.write(new WriteBatch()
                .put(SimCluster.bytes("gone"), SimCluster.bytes("v"), ConditionalWrite.expiring(1))
                .put(SimCluster.bytes("kept"), SimCluster.bytes("v"), ConditionalWrite.expiring(1)), Consistency.DEFAULT),
                Duration.ofSeconds(5));
        long version = cluster.versions(leader).get("gone");
        assertTrue(cluster.await(cluster.writeIf(follower, ifAbsent("kept", "again")), Duration.ofSeconds(5)).applied(),
                "an expired key is absent for a put-if-absent");
        WriteOutcome swept = cluster.await(cluster.writeIf(follower, new ConditionalWrite(
                List.of(Condition.expiredAtVersion(SimCluster.bytes("gone"), version)),
                new WriteBatch().delete(SimCluster.bytes("gone")))), Duration.ofSeconds(5));
        assertTrue(swept.applied());
        WriteOutcome notSwept = cluster.await(cluster.writeIf(follower, new ConditionalWrite(
                List.of(Condition.expiredAtVersion(SimCluster.bytes("kept"), version)),
                new WriteBatch().delete(SimCluster.bytes("kept")))), Duration.ofSeconds(5));
        assertFalse(notSwept.applied(), "kept was written again: a new version, not expired");
        cluster.run(Duration.ofMillis(300));
        for (String id : cluster.ids) {
            assertEquals(Map.of("kept", "again"), cluster.contents(id), "storage of " + id);
        }
    }
}
