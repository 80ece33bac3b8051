package org.modkv.replication.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.ReplicationContext;
import org.modkv.api.storage.Mutation;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.testkit.TestPluginContext;
import org.modkv.testkit.TestReplicationContext;
import org.modkv.testkit.sim.SimulatedStorage;
import org.modkv.testkit.sim.Simulation;

/**
 * A Raft cluster in a {@link Simulation}: real {@link RaftReplication}s over simulated storage,
 * network, clock and schedulers, all run by the test's thread. Nodes can crash (losing what was
 * not durable) and restart on what survived; their Raft state files live under a real
 * directory, since they are written durably before a vote is sent.
 */
final class SimCluster {
    final Simulation sim;
    final List<String> ids;
    private final Path root;
    private final Map<String, String> config;
    private final Map<String, Member> members = new LinkedHashMap<>();
    /** Terms in which each node led, to check election safety. */
    private final Map<Long, String> leaderOfTerm = new LinkedHashMap<>();

    /** One node: its storage (what survives a crash) and, while it runs, its replication. */
    static final class Member {
        final String id;
        SimulatedStorage storage;
        RaftReplication replication;
        final List<Long> committedSequences = new ArrayList<>();
        /** What a commit listener derives (as an index does): batches applied, rebuilt from storage on reset. */
        final Map<String, String> derived = new TreeMap<>();
        final List<Long> resets = new ArrayList<>();

        Member(String id) {
            this.id = id;
        }

        boolean up() {
            return replication != null;
        }

        RaftNode raft() {
            return replication.node();
        }
    }

    SimCluster(long seed, int size, Path root, Map<String, String> config) {
        this.sim = new Simulation(seed);
        this.root = root;
        this.config = Map.copyOf(config);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            names.add("n" + i);
        }
        this.ids = List.copyOf(names);
        for (String id : ids) {
            Member member = new Member(id);
            member.storage = new SimulatedStorage(sim, id);
            members.put(id, member);
        }
    }

    void startAll() {
        ids.forEach(this::start);
    }

    Member member(String id) {
        return members.get(id);
    }

    void start(String id) {
        Member member = members.get(id);
        PeerNetwork network = sim.network().join(id, new LinkedHashSet<>(ids));
        TestPluginContext base = TestPluginContext.builder().nodeId(id).dataDir(root.resolve(id))
                .schema(new RaftReplicationProvider().configSchema()).config(config)
                .clock(sim.clock()).scheduler(sim.scheduler(id)).build();
        member.derived.clear();
        member.derived.putAll(contents(id));
        CommitListener commits = new CommitListener() {
            @Override
            public void committed(long sequence, WriteBatch batch) {
                member.committedSequences.add(sequence);
                for (Mutation mutation : batch.mutations()) {
                    String key = new String(mutation.key(), StandardCharsets.UTF_8);
                    if (mutation.type() == MutationType.PUT) {
                        member.derived.put(key, new String(mutation.value(), StandardCharsets.UTF_8));
                    } else {
                        member.derived.remove(key);
                    }
                }
            }

            @Override
            public void reset(long sequence) {
                member.resets.add(sequence);
                member.derived.clear();
                member.derived.putAll(contents(id));
            }
        };
        ReplicationContext context = new TestReplicationContext(base, member.storage, network, commits);
        try {
            member.replication = (RaftReplication) new RaftReplicationProvider().start(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills a node: everything not durable is lost; {@link #start} brings it back on what survived. */
    void crash(String id) {
        Member member = members.get(id);
        sim.crash(id);
        member.storage = member.storage.crashCopy();
        member.replication = null;
    }

    /** The node that leads in the highest term, if any runs. */
    Optional<String> leader() {
        String leader = null;
        long term = -1;
        for (Member member : members.values()) {
            if (member.up() && member.raft().role() == RaftNode.Role.LEADER && member.raft().term() > term) {
                leader = member.id;
                term = member.raft().term();
            }
        }
        return Optional.ofNullable(leader);
    }

    /** Election safety, checked after every event: at most one leader per term, ever. */
    void checkElectionSafety() {
        for (Member member : members.values()) {
            if (member.up() && member.raft().role() == RaftNode.Role.LEADER) {
                String earlier = leaderOfTerm.putIfAbsent(member.raft().term(), member.id);
                if (earlier != null && !earlier.equals(member.id)) {
                    throw new AssertionError("two leaders in term " + member.raft().term() + ": " + earlier + " and "
                            + member.id + " (seed " + sim.seed() + ")");
                }
            }
        }
    }

    /** Runs until a leader is elected (checking safety), or fails after {@code max}. */
    String awaitLeader(Duration max) {
        boolean found = sim.runUntil(() -> {
            checkElectionSafety();
            return leader().isPresent();
        }, max);
        if (!found) {
            throw new AssertionError("no leader within " + max + " (seed " + sim.seed() + ")");
        }
        return leader().get();
    }

    /** Runs for {@code duration}, checking election safety after every event. */
    void run(Duration duration) {
        sim.runUntil(() -> {
            checkElectionSafety();
            return false;
        }, duration);
    }

    /** Runs until {@code future} completes (or fails the test after {@code max}). */
    <T> T await(CompletableFuture<T> future, Duration max) {
        sim.runUntil(() -> {
            checkElectionSafety();
            return future.isDone();
        }, max);
        if (!future.isDone()) {
            throw new AssertionError("not done within " + max + " (seed " + sim.seed() + ")");
        }
        return future.join();
    }

    CompletableFuture<Long> put(String via, String key, String value) {
        return members.get(via).replication.write(new WriteBatch().put(bytes(key), bytes(value)), Consistency.DEFAULT);
    }

    CompletableFuture<Long> delete(String via, String key) {
        return members.get(via).replication.write(new WriteBatch().delete(bytes(key)), Consistency.DEFAULT);
    }

    CompletableFuture<org.modkv.api.kv.WriteOutcome> writeIf(String via, org.modkv.api.kv.ConditionalWrite write) {
        return members.get(via).replication.writeIf(write, Consistency.DEFAULT);
    }

    /** Each key's version as a node's storage holds it. */
    Map<String, Long> versions(String id) {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (StoredRecord record : members.get(id).storage.records()) {
            versions.put(new String(record.key(), StandardCharsets.UTF_8), org.modkv.api.kv.RecordHeader.of(record).version());
        }
        return versions;
    }

    CompletableFuture<Optional<String>> get(String via, String key, Consistency consistency) {
        return members.get(via).replication.read(bytes(key), consistency)
                .thenApply(record -> record.map(r -> new String(r.value(), StandardCharsets.UTF_8)));
    }

    /** What a node's storage holds, key to value. */
    Map<String, String> contents(String id) {
        Map<String, String> contents = new LinkedHashMap<>();
        for (StoredRecord record : members.get(id).storage.records()) {
            contents.put(new String(record.key(), StandardCharsets.UTF_8), new String(record.value(), StandardCharsets.UTF_8));
        }
        return contents;
    }

    Set<String> upIds() {
        Set<String> up = new LinkedHashSet<>();
        members.values().stream().filter(Member::up).forEach(m -> up.add(m.id));
        return up;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
