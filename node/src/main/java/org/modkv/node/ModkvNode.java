package org.modkv.node;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.modkv.api.Plugin;
import org.modkv.api.config.ConfigException;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.RequestHandler;
import org.modkv.node.config.KernelKeys;
import org.modkv.node.config.NodeConfig;
import org.modkv.node.config.NodeConfigLoader;
import org.modkv.node.runtime.NodeComponent;
import org.modkv.node.runtime.NodeRuntime;
import org.modkv.node.runtime.NodeShutdown;

/**
 * A running modkv node: the entry point for the CLI and for embedding.
 *
 * <pre>{@code
 * try (ModkvNode node = ModkvNode.start(NodeOptions.of(Map.of("data.dir", "/tmp/n1")))) {
 *     System.out.println(node.readyLine());
 *     node.awaitClosed();
 * }
 * }</pre>
 *
 * <p>A node stops once: on {@link #close()}, or by itself after a fatal storage error. The stop
 * runs on a thread of its own and is bounded by {@code node.shutdown.timeout.ms}; see
 * docs/design/shutdown.md.
 */
public final class ModkvNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModkvNode.class.getName());
    /** The order of endpoint fields in the ready line (docs/design/config-and-cli.md); others follow. */
    private static final List<String> READY_FIELD_ORDER = List.of("tcp", "resp", "peer", "metrics");

    private final NodeConfig config;
    private final NodeRuntime runtime;
    private final NodeShutdown shutdown;

    private ModkvNode(NodeConfig config, NodeRuntime runtime, NodeShutdown shutdown) {
        this.config = config;
        this.runtime = runtime;
        this.shutdown = shutdown;
    }

    /**
     * Discovers plugins, validates config, and starts the node; returns when it serves.
     *
     * @throws ConfigException for a config problem (unknown key, bad value, missing plugin)
     * @throws IOException if storage cannot be recovered or an address cannot be bound
     */
    public static ModkvNode start(NodeOptions options) throws IOException {
        return start(options, List.of());
    }

    /**
     * As {@link #start(NodeOptions)}, with plugin instances supplied by the embedding program
     * in addition to those discovered (they must not share a name with a discovered one).
     */
    public static ModkvNode start(NodeOptions options, List<? extends Plugin> embedded) throws IOException {
        PluginCatalog catalog = PluginCatalog.discover(options.pluginDirs(), embedded);
        NodeConfig config = new NodeConfigLoader(catalog.loaded()).load(options.configFile(), options.overrides());
        NodeRuntime runtime = NodeComponent.of(config).runtime();
        NodeShutdown shutdown = new NodeShutdown(config.nodeId(), runtime,
                config.kernel().get(KernelKeys.SHUTDOWN_TIMEOUT_MS));
        runtime.onFatal(shutdown::stopAfterFatal);
        runtime.start();
        ModkvNode node = new ModkvNode(config, runtime, shutdown);
        LOG.log(System.Logger.Level.INFO, "node {0} serving: storage={1} replication={2} indexes={3} transports={4}",
                config.nodeId(), config.storage().name(), config.replication().name(),
                config.indexes().stream().map(p -> p.name()).toList(),
                config.transports().stream().map(p -> p.name()).toList());
        shutdown.arm();
        return node;
    }

    /** {@code modkv ready node=<id> tcp=<host:port> ...}, fields in the order of docs/design/config-and-cli.md. */
    public String readyLine() {
        StringBuilder line = new StringBuilder("modkv ready node=").append(config.nodeId());
        List<Endpoint> endpoints = runtime.endpoints();
        for (String field : READY_FIELD_ORDER) {
            endpoints.stream().filter(e -> e.name().equals(field)).findFirst()
                    .ifPresent(e -> line.append(' ').append(field).append('=').append(e.hostPort()));
        }
        endpoints.stream().filter(e -> !READY_FIELD_ORDER.contains(e.name()))
                .forEach(e -> line.append(' ').append(e.name()).append('=').append(e.hostPort()));
        return line.toString();
    }

    /** Where the node listens. */
    public List<Endpoint> endpoints() {
        return runtime.endpoints();
    }

    /** The node's id. */
    public String nodeId() {
        return config.nodeId();
    }

    /** The longest a stop may take ({@code node.shutdown.timeout.ms}). */
    public Duration shutdownTimeout() {
        return Duration.ofMillis(config.kernel().get(KernelKeys.SHUTDOWN_TIMEOUT_MS));
    }

    /** The request pipeline, for serving requests in-process. */
    public RequestHandler requests() {
        return runtime.pipeline();
    }

    /**
     * Runs one expiry sweep now instead of waiting for {@code node.expiry.sweep.interval.ms} (for
     * tests and tools): deletes keys whose expiry has passed; answers how many.
     */
    public int sweepExpired() throws IOException {
        return runtime.sweeper().sweep();
    }

    /**
     * Why the node stopped on its own, if it did: a storage failure (a failed fsync) stops the
     * node, because acknowledging further writes could not be honest. Also set when such a
     * failure happened while the node was being closed.
     */
    public Optional<Throwable> failure() {
        return shutdown.failure();
    }

    /**
     * Blocks until the node has stopped: after {@link #close()} or a fatal storage error, once
     * every part is closed or {@code node.shutdown.timeout.ms} has passed.
     */
    public void awaitClosed() throws InterruptedException {
        shutdown.awaitStopped();
    }

    /** Waits at most {@code timeout} for the node to stop; true if it has. */
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return shutdown.awaitStopped(timeout, unit);
    }

    /**
     * Stops serving and closes every part; idempotent and thread-safe. Returns once the node
     * has stopped, which takes at most {@code node.shutdown.timeout.ms} (past it, what did not
     * close is logged and the node counts as stopped).
     *
     * <p>Called on a transport's event loop, it returns at once: the stop goes on on the node's
     * stop thread, which needs that event loop to close its connections. Use
     * {@link #awaitClosed} from another thread to wait for it.
     */
    @Override
    public void close() {
        shutdown.requestStop();
        if (runtime.ownsCurrentThread() || shutdown.isStopThread()) {
            return;
        }
        boolean interrupted = false;
        while (!shutdown.isStopped()) {
            try {
                shutdown.awaitStopped();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
