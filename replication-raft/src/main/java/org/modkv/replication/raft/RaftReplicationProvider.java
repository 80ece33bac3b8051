package org.modkv.replication.raft;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.modkv.api.ApiVersion;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.replication.Replication;
import org.modkv.api.replication.ReplicationContext;
import org.modkv.api.replication.ReplicationProvider;
import org.modkv.api.storage.DurableLog;

/**
 * The {@code raft} replication plugin. The cluster is the node and the peers of the peer
 * network (for {@code transport-tcp}: {@code tcp.peers}); the log lives in the storage
 * engine's durable log named {@value #LOG_NAME}, so storage must offer one ({@code wal} does).
 */
public final class RaftReplicationProvider implements ReplicationProvider {
    static final String LOG_NAME = "raft";

    static final ConfigKey<Long> ELECTION_TIMEOUT_MS = ConfigKey.longInteger("raft.election.timeout.ms", 1000, 10,
            600_000, "A follower that hears nothing from a leader for a random time between this and twice this starts "
                    + "an election (after a pre-vote that it could win). Failover takes about this long.");
    static final ConfigKey<Long> HEARTBEAT_INTERVAL_MS = ConfigKey.longInteger("raft.heartbeat.interval.ms", 100, 1,
            300_000, "How often the leader contacts idle followers; at most half of raft.election.timeout.ms.");
    static final ConfigKey<Long> REQUEST_TIMEOUT_MS = ConfigKey.longInteger("raft.request.timeout.ms", 5000, 10,
            3_600_000, "How long a write or linearizable read waits for a leader and a commit before it fails with "
                    + "UNAVAILABLE; it spans elections, so clients ride through a failover.");
    static final ConfigKey<Integer> MAX_APPEND_ENTRIES = ConfigKey.integer("raft.max.append.entries", 512, 1, 1 << 20,
            "Most log entries in one AppendEntries message.");
    static final ConfigKey<Long> MAX_APPEND_BYTES = ConfigKey.bytes("raft.max.append.bytes", "1MiB", 1024, 256L << 20,
            "Most entry bytes in one AppendEntries message (one larger entry is still sent alone); keep it below "
                    + "the peer transport's frame limit.");
    static final ConfigKey<Long> SNAPSHOT_ENTRIES = ConfigKey.longInteger("raft.snapshot.entries", 100_000, 1,
            Long.MAX_VALUE, "Applied entries after which the log is compacted (storage already holds them durably); "
                    + "a follower that needs compacted entries is sent a snapshot.");
    static final ConfigKey<Long> SNAPSHOT_CHUNK_BYTES = ConfigKey.bytes("raft.snapshot.chunk.bytes", "1MiB", 1024,
            256L << 20, "Bytes of snapshot per message to a follower that must catch up from one.");

    private static final ConfigSchema SCHEMA = ConfigSchema.of(ELECTION_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS,
            REQUEST_TIMEOUT_MS, MAX_APPEND_ENTRIES, MAX_APPEND_BYTES, SNAPSHOT_ENTRIES, SNAPSHOT_CHUNK_BYTES);

    /** For {@link java.util.ServiceLoader}. */
    public RaftReplicationProvider() {
    }

    @Override
    public String name() {
        return "raft";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "Raft: leader election with pre-vote, replicated log, linearizable reads, snapshots; "
                + "followers forward requests to the leader";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public Replication start(ReplicationContext context) throws IOException {
        RaftSettings settings = settings(context.config());
        Optional<DurableLog> opened = context.storage().openLog(LOG_NAME);
        if (opened.isEmpty()) {
            throw new ConfigException("replication=raft keeps its log in the storage engine's durable log, and this "
                    + "storage engine offers none; use storage=wal");
        }
        DurableLog durableLog = opened.get();
        try {
            Path dir = context.dataDir();
            removeLeftovers(dir);
            RaftState state = RaftState.load(dir);
            RaftLog log = RaftLog.open(durableLog, state.snapshotIndex(), state.snapshotTerm());
            List<String> peers = new ArrayList<>(context.peers().peerIds());
            peers.sort(null);
            RaftNode node = new RaftNode(context.nodeId(), peers, settings, context.peers(), context.scheduler(),
                    context.clock(), context.storage(), context.commits(), state, log, dir);
            Optional<SnapshotReceiver.Received> pending = SnapshotReceiver.pendingInstall(dir);
            if (pending.isPresent()) {
                if (pending.get().index() > state.snapshotIndex()) {
                    node.install(pending.get());
                } else {
                    Files.delete(pending.get().file());
                }
            }
            RaftReplication replication = new RaftReplication(node, context.scheduler(), context.clock(),
                    context.storage(), durableLog, settings);
            replication.start(context.peers());
            return replication;
        } catch (IOException | RuntimeException e) {
            durableLog.close();
            throw e;
        }
    }

    static RaftSettings settings(Config config) {
        try {
            return new RaftSettings(config.get(ELECTION_TIMEOUT_MS), config.get(HEARTBEAT_INTERVAL_MS),
                    config.get(REQUEST_TIMEOUT_MS), config.get(MAX_APPEND_ENTRIES),
                    (int) (long) config.get(MAX_APPEND_BYTES), config.get(SNAPSHOT_ENTRIES),
                    (int) (long) config.get(SNAPSHOT_CHUNK_BYTES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Partly written snapshots from before a crash. */
    private static void removeLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*.tmp")) {
            for (Path file : files) {
                Files.delete(file);
            }
        }
    }
}
