package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Search on a three-node Raft cluster of node processes reads its own writes on every node: a
 * key written through one node is found at once by a SEARCH (without STALE) through another,
 * a follower, 200 times with fresh words (the follower's query waits for the read barrier,
 * docs/design/indexes.md). And a follower that was down while the leader compacted its log past
 * it (raft.snapshot.entries=50) installs a snapshot on restart, after which its index holds the
 * writes it missed and forgets the key deleted meanwhile (the commit listener's reset).
 */
class RaftSearchFreshnessIT {
    private static final long WAIT_MS = 60_000;
    private static final ProtocolCommand SEARCH = () -> "SEARCH".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private RaftProcesses cluster;

    @AfterEach
    void stopAll() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Jedis jedis(String id) {
        return cluster.jedis(id, 30_000);
    }

    /** SEARCH words... LIMIT 0 1000 (fresh): the total and the keys. */
    private static List<Object> search(Jedis jedis, String... words) {
        List<String> args = new ArrayList<>(List.of(words));
        args.addAll(List.of("LIMIT", "0", "1000"));
        List<?> reply = (List<?>) jedis.sendCommand(SEARCH, args.toArray(String[]::new));
        List<Object> out = new ArrayList<>();
        out.add(reply.get(0));
        reply.subList(1, reply.size()).forEach(key -> out.add(new String((byte[]) key, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void aSearchThroughAnotherNodeSeesTheWriteAtOnceAndASnapshotInstallUpdatesTheIndex() throws Exception {
        cluster = new RaftProcesses(dir, List.of("n1", "n2", "n3"), "raft.snapshot.entries=50");
        cluster.startAll();
        List<String> all = cluster.ids();
        String leader = cluster.awaitLeader(all, WAIT_MS);
        List<String> followers = all.stream().filter(id -> !id.equals(leader)).toList();
        String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36).replaceAll("[0-9]", "q");

        String lagging = followers.get(0);
        Map<String, Jedis> clients = new LinkedHashMap<>();
        try {
            all.forEach(id -> clients.put(id, jedis(id)));
            for (int i = 0; i < 200; i++) {
                String reader = followers.get(i % 2);
                String writer = all.get((i / 2) % 3).equals(reader) ? leader : all.get((i / 2) % 3);
                String word = "fresh" + run + "x" + i;
                String key = "fresh-" + i;
                assertEquals("OK", clients.get(writer).set(key, "common " + word + " words"));
                assertEquals(List.of(1L, key), search(clients.get(reader), word),
                        "write " + i + " through " + writer + ", SEARCH through follower " + reader);
            }

            // A follower misses writes past the leader's snapshot, and a delete, while it is down.
            assertEquals("OK", clients.get(leader).set("gone", "vanishing" + run));
            assertEquals(List.of(1L, "gone"), search(clients.get(lagging), "vanishing" + run));
            clients.remove(lagging).close();
            int status = cluster.node(lagging).stop();
            assertTrue(status == 0 || status == 143, "a clean stop of " + lagging + " on SIGTERM: exit " + status);
            for (int i = 0; i < 300; i++) {
                String key = "missed-" + String.format("%03d", i);
                assertEquals("OK", clients.get(leader).set(key, "missed" + run + " number" + i));
            }
            assertEquals(1L, clients.get(leader).del("gone"));
        } finally {
            clients.values().forEach(Jedis::close);
        }
        cluster.start(lagging);
        try (Jedis jedis = jedis(lagging)) {
            List<Object> hits = searchRetryingWhileNotReady(jedis, "missed" + run);
            assertEquals(301, hits.size(), "300 missed writes found on the restarted follower: " + hits.get(0));
            assertEquals(300L, hits.get(0));
            assertEquals(List.of(0L), search(jedis, "vanishing" + run), "the key deleted while it was down");
        }
        assertTrue(cluster.node(lagging).stderr().contains("installs a snapshot"),
                "the restarted follower caught up by a snapshot install:\n" + cluster.node(lagging).stderr());
    }

    /** A fresh SEARCH, retried (bounded) while the index answers TRYAGAIN (still catching up). */
    private static List<Object> searchRetryingWhileNotReady(Jedis jedis, String word) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            try {
                return search(jedis, word);
            } catch (JedisDataException e) {
                if (!e.getMessage().startsWith("TRYAGAIN") || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
