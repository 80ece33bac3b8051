package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ModkvClient;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.modkv.testkit.linearizability.History;
import org.modkv.testkit.linearizability.LinearizabilityChecker;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A three-node Raft cluster of real node processes from the packaged launcher, on 127.0.0.1:
 * any node serves any command (followers forward to the leader), INFO names roles and the
 * leader, and after the leader is SIGKILLed the others elect a new one and keep every
 * acknowledged write; the killed node restarts on its data and catches up.
 */
class RaftClusterIT {
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path dir;

    private RaftProcesses cluster;

    @AfterEach
    void stopAll() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(String id) throws Exception {
        cluster.start(id);
    }

    private Jedis jedis(String id) {
        return cluster.jedis(id, 10_000);
    }

    private Map<String, String> replicationInfo(String id) {
        return cluster.replicationInfo(id);
    }

    private String awaitLeader(List<String> candidates) throws InterruptedException {
        return cluster.awaitLeader(candidates, WAIT_MS);
    }

    /** SET through {@code via}, retrying while the cluster fails over (bounded). */
    private void setDuringFailover(String via, String key, String value) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        JedisException last = null;
        while (System.currentTimeMillis() < deadline) {
            try (Jedis jedis = jedis(via)) {
                assertEquals("OK", jedis.set(key, value));
                return;
            } catch (JedisException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("SET " + key + " via " + via + " kept failing", last);
    }

    /**
     * The key-value API across a Raft cluster (docs/design/kv-api.md): counters incremented through
     * every node count every increment, SET NX through every node lets one win, a key written
     * through one node is listed by SCAN through another at once, a transaction applies, and an
     * expired key is swept by the leader from every replica.
     */
    @Test
    void conditionalWritesCountersScanTransactionsAndExpiryWorkThroughEveryNode() throws Exception {
        cluster = new RaftProcesses(dir, List.of("n1", "n2", "n3"), "node.expiry.sweep.interval.ms=50");
        cluster.startAll();
        List<String> all = cluster.ids();
        awaitLeader(all);
        for (int round = 0; round < 5; round++) {
            for (String via : all) {
                try (Jedis jedis = jedis(via)) {
                    jedis.incr("raft-counter");
                }
            }
        }
        long winners = 0;
        for (String via : all) {
            try (Jedis jedis = jedis(via)) {
                assertEquals("15", jedis.get("raft-counter"), "every increment counted, read via " + via);
                winners += "OK".equals(jedis.set("raft-lock", via, redis.clients.jedis.params.SetParams.setParams().nx()))
                        ? 1 : 0;
            }
        }
        assertEquals(1, winners, "exactly one SET NX applies");
        for (String via : all) {
            String key = "scan-" + via;
            try (Jedis writer = jedis(via)) {
                writer.set(key, "v");
            }
            for (String reader : all) {
                try (Jedis jedis = jedis(reader)) {
                    assertTrue(jedis.keys("scan-*").contains(key), key + " listed via " + reader);
                }
            }
        }
        try (Jedis jedis = jedis(all.get(1))) {
            redis.clients.jedis.Transaction tx = jedis.multi();
            tx.set("tx-a", "1");
            tx.incr("raft-counter");
            assertEquals(List.of("OK", 16L), tx.exec());
            jedis.sendCommand(redis.clients.jedis.Protocol.Command.SET, "expired", "v", "PXAT", "1");
        }
        long deadline = System.currentTimeMillis() + WAIT_MS;
        boolean swept = false;
        while (!swept && System.currentTimeMillis() < deadline) {
            swept = true;
            for (String via : all) {
                try (Jedis jedis = jedis(via)) {
                    // Storage holds scan-n1..n3, raft-counter, raft-lock and tx-a once 'expired' is deleted.
                    swept &= jedis.dbSize() == all.size() + 3;
                }
            }
            if (!swept) {
                Thread.sleep(50);
            }
        }
        assertTrue(swept, "the leader swept the expired key from every replica");
        for (String via : all) {
            try (Jedis jedis = jedis(via)) {
                assertEquals(null, jedis.get("expired"));
            }
        }
    }

    @Test
    void anyNodeServesAnyCommandAndTheClusterSurvivesItsLeadersSigkill() throws Exception {
        cluster = new RaftProcesses(dir, List.of("n1", "n2", "n3"));
        cluster.startAll();
        List<String> all = cluster.ids();
        String leader = awaitLeader(all);
        List<String> followers = all.stream().filter(id -> !id.equals(leader)).toList();

        Map<String, String> info = replicationInfo(followers.get(0));
        assertEquals("follower", info.get("role"));
        assertEquals(leader, info.get("leader_id"));

        // Writes through followers (forwarded) and the leader; reads through every node.
        for (String via : all) {
            try (Jedis jedis = jedis(via)) {
                assertEquals("OK", jedis.set("written-via-" + via, "value-" + via));
            }
        }
        try (Jedis jedis = jedis(followers.get(1))) {
            assertEquals("OK", jedis.mset("m1", "a", "m2", "b"));
            assertEquals(1L, jedis.del("m1"));
        }
        for (String via : all) {
            try (Jedis jedis = jedis(via)) {
                for (String written : all) {
                    assertEquals("value-" + written, jedis.get("written-via-" + written), "GET via " + via);
                }
                assertEquals(null, jedis.get("m1"));
                assertEquals("b", jedis.get("m2"));
            }
        }
        // The Java client over tcp against a follower.
        try (ModkvClient client = ModkvClient.connect(cluster.node(followers.get(0)).tcp())) {
            client.put("client-key", "client-value");
            assertEquals(Optional.of("client-value"), client.get("client-key"));
        }

        // A client given every node's address, connected to the leader, is moved to another node.
        List<String> addresses = new ArrayList<>();
        addresses.add(cluster.node(leader).tcp());
        followers.forEach(id -> addresses.add(cluster.node(id).tcp()));
        ModkvClient failingOver = ModkvClient.connect(String.join(",", addresses));
        assertEquals(leader, failingOver.serverNodeId());

        cluster.node(leader).kill();
        long lostBy = System.currentTimeMillis() + WAIT_MS;
        while (failingOver.openConnections() > 0 && System.currentTimeMillis() < lostBy) {
            Thread.sleep(10);
        }
        failingOver.put("after-kill", "through-another-node");
        assertTrue(followers.contains(failingOver.serverNodeId()), failingOver.serverNodeId());
        assertEquals(Optional.of("through-another-node"), failingOver.get("after-kill"));
        failingOver.close();
        String next = awaitLeader(followers);
        assertNotEquals(leader, next);
        setDuringFailover(followers.get(0), "after-failover", "yes");
        for (String via : followers) {
            try (Jedis jedis = jedis(via)) {
                for (String written : all) {
                    assertEquals("value-" + written, jedis.get("written-via-" + written), "GET via " + via + " after failover");
                }
                assertEquals("yes", jedis.get("after-failover"));
            }
        }

        start(leader);
        assertEquals(next, awaitLeader(all), "the restarted node rejoins as a follower");
        try (Jedis jedis = jedis(leader)) {
            assertEquals("yes", jedis.get("after-failover"));
            assertEquals("client-value", jedis.get("client-key"));
        }
        assertTrue(cluster.node(leader).isAlive());
    }

    /**
     * Six clients on all three nodes read, write and delete eight keys while the leader is
     * SIGKILLed and later restarted, and then the next leader is frozen (SIGSTOP) long enough
     * for the others to elect another, and thawed (SIGCONT) still believing it leads. The whole
     * history, as the clients saw it, must be linearizable (writes that failed count as unknown:
     * they may or may not have happened).
     */
    @Test
    void concurrentClientsSeeALinearizableHistoryAcrossALeaderKill() throws Exception {
        cluster = new RaftProcesses(dir, List.of("n1", "n2", "n3"));
        cluster.startAll();
        List<String> all = cluster.ids();
        String leader = awaitLeader(all);
        History history = new History();
        long end = System.currentTimeMillis() + 13_000;
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            int client = c;
            done.add(clients.submit(() -> runClient(client, all.get(client % 3), history, end)));
        }
        Thread.sleep(3_000);
        cluster.node(leader).kill();
        Thread.sleep(3_000);
        start(leader);
        String frozen = awaitLeader(all);
        cluster.node(frozen).pause();
        Thread.sleep(2_500);
        cluster.node(frozen).resume();
        int operations = 0;
        for (Future<Integer> client : done) {
            operations += client.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertTrue(operations > 100, "the clients got " + operations + " answers");
        System.out.println("RaftClusterIT: " + operations + " answers, " + history.operations().size()
                + " operations checked for linearizability");
        Optional<String> violation = LinearizabilityChecker.check(history.operations());
        assertTrue(violation.isEmpty(), () -> violation.get());
    }

    /**
     * Soak: eight rounds of killing the leader (SIGKILL) and restarting it while six clients
     * work, then the whole history checked for linearizability.
     */
    @Test
    @org.junit.jupiter.api.Tag("soak")
    void manyLeaderKillsKeepTheHistoryLinearizable() throws Exception {
        cluster = new RaftProcesses(dir, List.of("n1", "n2", "n3"));
        cluster.startAll();
        List<String> all = cluster.ids();
        awaitLeader(all);
        History history = new History();
        int rounds = 8;
        long end = System.currentTimeMillis() + rounds * 7_000L + 2_000;
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            int client = c;
            done.add(clients.submit(() -> runClient(client, all.get(client % 3), history, end)));
        }
        for (int round = 0; round < rounds; round++) {
            String leader = awaitLeader(all);
            Thread.sleep(1_500);
            cluster.node(leader).kill();
            Thread.sleep(2_500);
            start(leader);
        }
        int operations = 0;
        for (Future<Integer> client : done) {
            operations += client.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        System.out.println("RaftClusterIT soak: " + operations + " answers, " + history.operations().size()
                + " operations checked for linearizability over " + rounds + " leader kills");
        Optional<String> violation = LinearizabilityChecker.check(history.operations());
        assertTrue(violation.isEmpty(), () -> violation.get());
    }

    /** One client: random GET, SET and DEL through one node (or another while it is down) until {@code end}. */
    private int runClient(int client, String home, History history, long end) throws InterruptedException {
        Random random = new Random(client);
        int answered = 0;
        int sequence = 0;
        String via = home;
        while (System.currentTimeMillis() < end) {
            try (Jedis jedis = jedis(via)) {
                while (System.currentTimeMillis() < end) {
                    String key = "k" + random.nextInt(8);
                    double kind = random.nextDouble();
                    if (kind < 0.5) {
                        History.Pending read = history.invokeRead(client, key);
                        try {
                            read.read(jedis.get(key));
                            answered++;
                        } catch (RuntimeException e) {
                            read.failed();
                            throw e;
                        }
                    } else {
                        String value = kind < 0.95 ? "c" + client + "-" + sequence++ : null;
                        History.Pending write = history.invokeWrite(client, key, value);
                        try {
                            if (value == null) {
                                jedis.del(key);
                            } else {
                                jedis.set(key, value);
                            }
                            write.written();
                            answered++;
                        } catch (RuntimeException e) {
                            write.failed();
                            throw e;
                        }
                    }
                }
            } catch (RuntimeException e) {
                // The node died or refused (an election, a timeout): try another node, briefly later.
                via = nextRunning(via);
                Thread.sleep(50);
            }
        }
        return answered;
    }

    /** The next node after {@code id} that is running. */
    private String nextRunning(String id) {
        List<String> ids = cluster.ids();
        for (int step = 1; step <= ids.size(); step++) {
            String next = ids.get((ids.indexOf(id) + step) % ids.size());
            if (cluster.node(next).isAlive()) {
                return next;
            }
        }
        return id;
    }
}
