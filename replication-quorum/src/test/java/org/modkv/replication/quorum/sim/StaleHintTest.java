package org.modkv.replication.quorum.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.modkv.replication.quorum.coordinator.Outcome;
import org.modkv.replication.quorum.coordinator.QuorumSettings;
import org.modkv.replication.quorum.replica.Key;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.TombstoneGcSettings;
import org.modkv.replication.quorum.version.VersionVector;

/**
 * The scripted case behind the tombstone collection rule: a fallback keeps a hint with value v
 * for a partitioned home replica and crashes; v is deleted; the home replica comes back, the
 * tombstone reaches every home replica and is collected. When the fallback returns, long after,
 * its hint is past its TTL and must not be handed off: handing it off would bring v back.
 * Fails if hints never expire and old states are accepted.
 */
class StaleHintTest {
    @Test
    void aHintOlderThanItsTtlIsDroppedInsteadOfResurrectingACollectedDelete() {
        TombstoneGcSettings gc = new TombstoneGcSettings(1_500, 1_000, 500);
        QuorumSimCluster cluster = new QuorumSimCluster(42, 5, new QuorumSettings(3, 2, 2, true), gc);
        Key key = Key.of("victim".getBytes(StandardCharsets.UTF_8));
        List<String> walk = cluster.ring.walk(key.bytes());
        SimNode coordinator = cluster.nodes.get(walk.get(0));
        String away = walk.get(2);
        SimNode fallback = cluster.nodes.get(walk.get(3));

        cluster.partition(Set.of(away));
        Outcome[] written = new Outcome[1];
        coordinator.write(key, VersionVector.empty(), "v".getBytes(StandardCharsets.UTF_8), put -> written[0] = put.outcome());
        cluster.sim.runFor(Duration.ofMillis(300));
        assertEquals(Outcome.SUCCEEDED, written[0]);
        assertFalse(fallback.store.hints(away).isEmpty(), "the fallback keeps a hint for " + away);
        fallback.crash();

        DvvSet[] read = new DvvSet[1];
        coordinator.read(key, get -> read[0] = get.result());
        cluster.sim.runFor(Duration.ofMillis(300));
        Outcome[] deleted = new Outcome[1];
        coordinator.write(key, read[0].context(), null, put -> deleted[0] = put.outcome());
        cluster.sim.runFor(Duration.ofMillis(300));
        assertEquals(Outcome.SUCCEEDED, deleted[0]);

        cluster.heal();
        cluster.sim.runFor(Duration.ofSeconds(4));
        for (String home : walk.subList(0, 3)) {
            assertTrue(cluster.nodes.get(home).replica().get(key).isEmpty(), "the tombstone was collected on " + home);
        }

        fallback.start();
        cluster.sim.runFor(Duration.ofSeconds(3));
        for (String home : walk.subList(0, 3)) {
            assertEquals(Set.of(), WriteHistory.liveValues(cluster.nodes.get(home).replica().get(key)),
                    "the deleted value came back on " + home);
        }
        assertEquals(0, fallback.store.hintCount(), "the expired hint was dropped");
    }
}
