package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.Jedis;

/**
 * A Raft cluster of packaged node processes on 127.0.0.1 for process-level tests: each node's
 * data under {@code dir/<id>}, a free peer port each, short election timeouts, and INFO-based
 * waits for a leader. Closing it stops every node still running.
 */
final class RaftProcesses implements AutoCloseable {
    private final Path dir;
    private final List<String> extraSettings;
    private final Map<String, Integer> peerPorts = new LinkedHashMap<>();
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();

    /** Nodes {@code ids}, each started with these {@code --set KEY=VALUE} settings beside the cluster's own. */
    RaftProcesses(Path dir, List<String> ids, String... extraSettings) {
        this.dir = dir;
        this.extraSettings = List.of(extraSettings);
        for (String id : ids) {
            peerPorts.put(id, ExternalTools.freePort());
        }
    }

    List<String> ids() {
        return new ArrayList<>(peerPorts.keySet());
    }

    void startAll() throws Exception {
        for (String id : peerPorts.keySet()) {
            start(id);
        }
    }

    /** Starts (or restarts, on its data) node {@code id} and waits for its ready line. */
    void start(String id) throws Exception {
        String peers = String.join(",", peerPorts.entrySet().stream()
                .map(e -> e.getKey() + "=127.0.0.1:" + e.getValue()).toList());
        List<String> args = new ArrayList<>(List.of("--set", "node.id=" + id, "--set", "replication=raft",
                "--set", "tcp.peers=" + peers, "--set", "tcp.peer.listen=127.0.0.1:" + peerPorts.get(id),
                "--set", "raft.election.timeout.ms=500", "--set", "raft.heartbeat.interval.ms=50"));
        for (String setting : extraSettings) {
            args.addAll(List.of("--set", setting));
        }
        nodes.put(id, NodeProcess.start(dir.resolve(id), args.toArray(String[]::new)));
    }

    NodeProcess node(String id) {
        return nodes.get(id);
    }

    Jedis jedis(String id, int timeoutMs) {
        return new Jedis("127.0.0.1", NodeProcess.port(nodes.get(id).resp()), timeoutMs);
    }

    /** The fields of node {@code id}'s INFO replication section. */
    Map<String, String> replicationInfo(String id) {
        Map<String, String> fields = new LinkedHashMap<>();
        try (Jedis jedis = jedis(id, 10_000)) {
            for (String line : jedis.info("replication").split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
        }
        return fields;
    }

    /** Polls INFO until one of {@code candidates} says it leads and the others name it (bounded). */
    String awaitLeader(List<String> candidates, long waitMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMs;
        while (System.currentTimeMillis() < deadline) {
            Optional<String> leader = candidates.stream()
                    .filter(id -> "leader".equals(replicationInfo(id).get("role"))).findFirst();
            if (leader.isPresent() && candidates.stream().filter(id -> !id.equals(leader.get()))
                    .allMatch(id -> leader.get().equals(replicationInfo(id).get("leader_id")))) {
                return leader.get();
            }
            Thread.sleep(50);
        }
        fail("no leader among " + candidates + " within " + waitMs + " ms");
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        for (NodeProcess node : nodes.values()) {
            node.close();
        }
    }
}
