package org.modkv.node.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.modkv.api.config.HostPort;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;

/**
 * The kernel's own config keys: node identity, data location, plugin choice, request limits,
 * metrics, the shutdown bound and the index pipeline (docs/design/indexes.md).
 */
public final class KernelKeys {
    public static final ConfigKey<String> NODE_ID = ConfigKey.of("node.id", "letters, digits, '-', '_' or '.'",
            "node1", "This node's id, unique in its cluster.", text -> {
                if (!text.matches("[A-Za-z0-9._-]{1,64}")) {
                    throw new IllegalArgumentException("'" + text
                            + "' is not a node id; use 1 to 64 letters, digits, '.', '-' or '_'");
                }
                return text;
            });
    public static final ConfigKey<String> DATA_DIR = ConfigKey.of("data.dir", "a directory path", "./data",
            "Directory for all of this node's files; each plugin gets a subdirectory. A relative path is resolved "
                    + "against the working directory once, at start-up.", text -> {
                if (text.isEmpty()) {
                    throw new IllegalArgumentException("is empty; give a directory, e.g. ./data or /var/lib/modkv");
                }
                try {
                    Path.of(text);
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a usable path: " + e.getReason());
                }
                return text;
            });
    public static final ConfigKey<String> STORAGE = ConfigKey.string("storage", "wal",
            "The storage plugin (see 'modkv plugins').");
    public static final ConfigKey<String> REPLICATION = ConfigKey.string("replication", "standalone",
            "The replication plugin: standalone (built in, no peers) or one from 'modkv plugins'.");
    public static final ConfigKey<List<String>> INDEXES = ConfigKey.list("indexes", "fulltext",
            "Index plugins to run, comma-separated (e.g. fulltext,tfidf); empty for none. The default runs full-text "
                    + "search (SEARCH, SEARCHANY, FINDVALUE).");
    public static final ConfigKey<List<String>> TRANSPORTS = ConfigKey.list("transports", "tcp,resp",
            "Transport plugins to run, comma-separated (e.g. tcp,resp).");
    public static final ConfigKey<Integer> MAX_KEY_BYTES = ConfigKey.integer("node.max.key.bytes", 65_536, 1,
            16 << 20, "Largest key accepted, in bytes.");
    public static final ConfigKey<Integer> MAX_VALUE_BYTES = ConfigKey.integer("node.max.value.bytes", 8 << 20, 0,
            512 << 20, "Largest value accepted, in bytes.");
    public static final ConfigKey<Integer> MAX_BATCH_BYTES = ConfigKey.integer("node.max.batch.bytes", 12 << 20, 1,
            1 << 30, "Largest atomic batch (MSET, bulk) accepted, in encoded bytes.");
    public static final ConfigKey<Integer> MAX_BATCH_ENTRIES = ConfigKey.integer("node.max.batch.entries", 100_000,
            1, 10_000_000, "Most entries in one atomic batch.");

    public static final ConfigKey<Optional<HostPort>> METRICS_LISTEN = ConfigKey.of("metrics.listen",
            "host:port, or off", "127.0.0.1:9379",
            "Where to serve metrics over HTTP in Prometheus text format (GET /metrics); off to disable.",
            text -> text.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(HostPort.parse(text)));

    public static final ConfigKey<Long> SHUTDOWN_TIMEOUT_MS = ConfigKey.longInteger("node.shutdown.timeout.ms", 10_000,
            100, 600_000, "Longest a stop (SIGTERM, Ctrl-C, or a fatal storage error) may take to close connections "
                    + "and storage, in milliseconds. Past it the node logs what did not close and stops anyway; "
                    + "'modkv node' then exits.");

    public static final ConfigKey<Integer> INDEX_QUERY_THREADS = ConfigKey.integer("index.query.threads", 2, 1, 256,
            "Threads that run index queries (searches), shared by every index; never a transport's event loop or "
                    + "an index's applier thread.");
    public static final ConfigKey<Integer> INDEX_QUERY_QUEUE = ConfigKey.integer("index.query.queue", 1024, 1,
            1_000_000, "Index queries waiting for a query thread, at most; past it a query is refused with "
                    + "OVERLOADED.");
    public static final ConfigKey<Integer> INDEX_FRESHNESS_TIMEOUT_MS = ConfigKey.integer(
            "index.freshness.timeout.ms", 5_000, 1, 600_000,
            "How long a fresh query waits for its index to catch up with the read barrier before it fails with "
                    + "INDEX_NOT_READY.");
    public static final ConfigKey<Integer> INDEX_COMMIT_INTERVAL_MS = ConfigKey.integer("index.commit.interval.ms",
            1_000, 10, 3_600_000, "How often each index makes what it applied durable (Index.commit), so a restart "
                    + "catches up only what came after; also at shutdown.");
    public static final ConfigKey<Long> INDEX_QUEUE_MAX_BYTES = ConfigKey.bytes("index.queue.max.bytes", "64MiB",
            1 << 16, 1L << 40, "Committed batches waiting for one index, at most, in encoded bytes; past it the "
                    + "index drops its queue and catches up from storage (counted as an overflow).");

    public static final ConfigKey<Integer> EXPIRY_SWEEP_INTERVAL_MS = ConfigKey.integer("node.expiry.sweep.interval.ms",
            1_000, 10, 3_600_000, "How often the node deletes keys whose expiry has passed (reads hide them at once); "
                    + "only a node that decides writes (standalone, the Raft leader) deletes.");
    public static final ConfigKey<Integer> EXPIRY_SWEEP_MAX_DELETES = ConfigKey.integer("node.expiry.sweep.max.deletes",
            1_000, 1, 1_000_000, "Expired keys deleted per sweep, at most; the rest wait for the next sweep.");

    public static final ConfigSchema SCHEMA = ConfigSchema.of(NODE_ID, DATA_DIR, STORAGE, REPLICATION, INDEXES,
            TRANSPORTS, MAX_KEY_BYTES, MAX_VALUE_BYTES, MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, METRICS_LISTEN,
            SHUTDOWN_TIMEOUT_MS, INDEX_QUERY_THREADS, INDEX_QUERY_QUEUE, INDEX_FRESHNESS_TIMEOUT_MS,
            INDEX_COMMIT_INTERVAL_MS, INDEX_QUEUE_MAX_BYTES, EXPIRY_SWEEP_INTERVAL_MS, EXPIRY_SWEEP_MAX_DELETES);

    private KernelKeys() {
    }
}
