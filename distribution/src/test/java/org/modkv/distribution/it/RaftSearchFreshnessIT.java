package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> peerPorts = new LinkedHashMap<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (NodeProcess node : nodes.values()) {
            node.close();
        }
    }

    private void start(String id) throws Exception {
        String peers = String.join(",", peerPorts.entrySet().stream()
                .map(e -> e.getKey() + "=127.0.0.1:" + e.getValue()).toList());
        nodes.put(id, NodeProcess.start(dir.resolve(id), "--set", "node.id=" + id, "--set", "replication=raft",
                "--set", "tcp.peers=" + peers, "--set", "tcp.peer.listen=127.0.0.1:" + peerPorts.get(id),
                "--set", "raft.election.timeout.ms=500", "--set", "raft.heartbeat.interval.ms=50",
                "--set", "raft.snapshot.entries=50"));
    }

    private Jedis jedis(String id) {
        return new Jedis("127.0.0.1", NodeProcess.port(nodes.get(id).resp()), 30_000);
    }

    private String role(String id, String field) {
        try (Jedis jedis = jedis(id)) {
            for (String line : jedis.info("replication").split("\r?\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).trim();
                }
            }
        }
        return null;
    }

    private String awaitLeader(List<String> candidates) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
            Optional<String> leader = candidates.stream().filter(id -> "leader".equals(role(id, "role"))).findFirst();
            if (leader.isPresent() && candidates.stream().filter(id -> !id.equals(leader.get()))
                    .allMatch(id -> leader.get().equals(role(id, "leader_id")))) {
                return leader.get();
            }
            Thread.sleep(50);
        }
        fail("no leader among " + candidates + " within " + WAIT_MS + " ms");
        return null;
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
        for (String id : List.of("n1", "n2", "n3")) {
            peerPorts.put(id, ExternalTools.freePort());
        }
        for (String id : peerPorts.keySet()) {
            start(id);
        }
        List<String> all = new ArrayList<>(peerPorts.keySet());
        String leader = awaitLeader(all);
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
            int status = nodes.get(lagging).stop();
            assertTrue(status == 0 || status == 143, "a clean stop of " + lagging + " on SIGTERM: exit " + status);
            for (int i = 0; i < 300; i++) {
                String key = "missed-" + String.format("%03d", i);
                assertEquals("OK", clients.get(leader).set(key, "missed" + run + " number" + i));
            }
            assertEquals(1L, clients.get(leader).del("gone"));
        } finally {
            clients.values().forEach(Jedis::close);
        }
        start(lagging);
        try (Jedis jedis = jedis(lagging)) {
            List<Object> hits = searchRetryingWhileNotReady(jedis, "missed" + run);
            assertEquals(301, hits.size(), "300 missed writes found on the restarted follower: " + hits.get(0));
            assertEquals(300L, hits.get(0));
            assertEquals(List.of(0L), search(jedis, "vanishing" + run), "the key deleted while it was down");
        }
        assertTrue(nodes.get(lagging).stderr().contains("installs a snapshot"),
                "the restarted follower caught up by a snapshot install:\n" + nodes.get(lagging).stderr());
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
