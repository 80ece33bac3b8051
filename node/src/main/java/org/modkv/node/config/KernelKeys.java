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
 * metrics and the shutdown bound.
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
    public static final ConfigKey<List<String>> INDEXES = ConfigKey.list("indexes", "",
            "Index plugins to run, comma-separated (e.g. fulltext,tfidf); empty for none.");
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

    public static final ConfigSchema SCHEMA = ConfigSchema.of(NODE_ID, DATA_DIR, STORAGE, REPLICATION, INDEXES,
            TRANSPORTS, MAX_KEY_BYTES, MAX_VALUE_BYTES, MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, METRICS_LISTEN,
            SHUTDOWN_TIMEOUT_MS);

    private KernelKeys() {
    }
}
