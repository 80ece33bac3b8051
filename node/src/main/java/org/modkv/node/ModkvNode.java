package org.modkv.node;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.modkv.api.Plugin;
import org.modkv.api.config.ConfigException;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.RequestHandler;
import org.modkv.node.config.NodeConfig;
import org.modkv.node.config.NodeConfigLoader;
import org.modkv.node.runtime.NodeComponent;
import org.modkv.node.runtime.NodeRuntime;

/**
 * A running modkv node: the entry point for the CLI and for embedding.
 *
 * <pre>{@code
 * try (ModkvNode node = ModkvNode.start(NodeOptions.of(Map.of("data.dir", "/tmp/n1")))) {
 *     System.out.println(node.readyLine());
 *     node.awaitClosed();
 * }
 * }</pre>
 */
public final class ModkvNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModkvNode.class.getName());
    /** The order of endpoint fields in the ready line (docs/design/config-and-cli.md); others follow. */
    private static final List<String> READY_FIELD_ORDER = List.of("tcp", "resp", "peer", "metrics");

    private final NodeConfig config;
    private final NodeRuntime runtime;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Throwable failure;

    private ModkvNode(NodeConfig config, NodeRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
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
        ModkvNode[] started = new ModkvNode[1];
        runtime.onFatal(failure -> {
            ModkvNode node = started[0];
            if (node != null) {
                node.stopAfterFatal(failure);
            }
        });
        runtime.start();
        ModkvNode node = new ModkvNode(config, runtime);
        started[0] = node;
        LOG.log(System.Logger.Level.INFO, "node {0} serving: storage={1} replication={2} indexes={3} transports={4}",
                config.nodeId(), config.storage().name(), config.replication().name(),
                config.indexes().stream().map(p -> p.name()).toList(),
                config.transports().stream().map(p -> p.name()).toList());
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

    /** The request pipeline, for serving requests in-process. */
    public RequestHandler requests() {
        return runtime.pipeline();
    }

    /**
     * Why the node stopped on its own, if it did: a storage failure (a failed fsync) stops the
     * node, because acknowledging further writes could not be honest.
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void stopAfterFatal(Throwable cause) {
        synchronized (this) {
            if (failure != null || closed.getCount() == 0) {
                return;
            }
            failure = cause;
        }
        LOG.log(System.Logger.Level.ERROR, "node " + config.nodeId() + " is stopping after a fatal storage error", cause);
        Thread stopper = new Thread(this::close, "modkv-fatal-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Waits at most {@code timeout} for {@link #close()}; true if the node is closed. */
    public boolean awaitClosed(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }

    /** Stops serving and closes every part; idempotent. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        runtime.close();
        closed.countDown();
        LOG.log(System.Logger.Level.INFO, "node {0} stopped", config.nodeId());
    }
}
