package org.modkv.node.runtime;

import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.modkv.api.config.HostPort;
import org.modkv.node.config.KernelKeys;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.StoredData;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.Replication;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.time.Clock;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.api.transport.RequestLimits;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportProvider;
import org.modkv.node.config.NodeConfig;
import org.modkv.node.pipeline.ExpirySweeper;
import org.modkv.node.pipeline.IndexPipelineSettings;
import org.modkv.node.pipeline.IndexSet;
import org.modkv.node.pipeline.OrderedKeys;
import org.modkv.node.pipeline.StorageStoredData;
import org.modkv.node.pipeline.NodeMetrics;
import org.modkv.node.pipeline.RequestPipeline;

/**
 * Starts a node's parts in dependency order and stops them in reverse:
 * data-dir lock, storage (recovered), indexes (caught up with storage before anything serves;
 * docs/design/indexes.md), request pipeline,
 * transports (bound, answering "starting" until ready), replication over the first peer
 * network a transport offers, then the pipeline starts serving. If any step fails, the parts
 * already started are closed before the failure propagates.
 *
 * <p>{@link #close()} runs on one thread (the node's stop thread, see {@link NodeShutdown});
 * while it runs, another thread may ask what is not closed yet ({@link #notClosed()}).
 */
public final class NodeRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeRuntime.class.getName());

    private final NodeConfig config;
    private final ContextFactory contexts;
    private final KernelScheduler scheduler;
    private final RequestLimits limits;
    private final NodeMetrics metrics;
    /** What was started, the latest first; close pops from the front. Read by other threads. */
    private final Deque<StartedPart> started = new ConcurrentLinkedDeque<>();
    private final List<Transport> transports = new CopyOnWriteArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    /** The part being closed now, if any. */
    private volatile StartedPart closing;
    private RequestPipeline pipeline;
    private ExpirySweeper sweeper;
    private Consumer<Throwable> fatalHandler = failure -> { };

    @Inject
    NodeRuntime(NodeConfig config, ContextFactory contexts, KernelScheduler scheduler, RequestLimits limits,
                NodeMetrics metrics) {
        this.config = config;
        this.contexts = contexts;
        this.scheduler = scheduler;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** Who to tell when the node must stop after a fatal error (a failed fsync); call before start. */
    public void onFatal(Consumer<Throwable> handler) {
        this.fatalHandler = handler;
    }

    /** Starts everything; on failure closes what was started and rethrows. */
    public void start() throws IOException {
        try {
            started.push(new StartedPart("scheduler", scheduler));
            started.push(new StartedPart("data-dir lock", DataDirLock.acquire(config.dataDir())));
            StorageEngine storage = config.storage().open(contexts.forPlugin(config.storage()));
            started.push(new StartedPart("storage '" + config.storage().name() + "'", storage));

            StoredData storedData = new StorageStoredData(storage);
            Map<String, Index> opened = new LinkedHashMap<>();
            try {
                for (IndexProvider provider : config.indexes()) {
                    Index index = provider.open(new KernelIndexContext(contexts.forPlugin(provider), storedData));
                    opened.put(provider.name(), index);
                }
            } catch (IOException | RuntimeException e) {
                opened.values().forEach(Index::close);
                throw e;
            }
            IndexSet indexes = new IndexSet(opened, storedData, indexSettings());
            started.push(new StartedPart("indexes", indexes));
            indexes.start(storage);

            OrderedKeys orderedKeys = new OrderedKeys(storage, ForkJoinPool.commonPool());
            pipeline = new RequestPipeline(config.nodeId(), storage, indexes, limits, metrics, orderedKeys, Clock.system());
            pipeline.onFatal(fatalHandler);
            RequestPipeline requests = pipeline;
            ExpirySweeper sweeper = new ExpirySweeper(storage, requests::writeIf,
                    () -> requests.status().replication().role(), Clock.system(),
                    config.kernel().get(KernelKeys.EXPIRY_SWEEP_INTERVAL_MS),
                    config.kernel().get(KernelKeys.EXPIRY_SWEEP_MAX_DELETES), config.nodeId());
            started.push(new StartedPart("expiry sweeper", sweeper));
            pipeline.addStatsSection("expiry", sweeper::stats);
            this.sweeper = sweeper;

            PeerNetwork peers = null;
            for (TransportProvider provider : config.transports()) {
                Transport transport = provider.start(new KernelTransportContext(contexts.forPlugin(provider), pipeline, metrics));
                started.push(new StartedPart("transport '" + provider.name() + "'", transport));
                transports.add(transport);
                endpoints.addAll(transport.endpoints());
                pipeline.addStatsSection(provider.name(), transport::stats);
                if (peers == null) {
                    peers = transport.peerNetwork().orElse(null);
                }
            }
            if (peers == null) {
                peers = PeerNetwork.none(config.nodeId());
            }
            Replication replication = config.replication().start(new KernelReplicationContext(
                    contexts.forPlugin(config.replication()), storage, peers,
                    allListeners(List.of(indexes, orderedKeys, sweeper))));
            started.push(new StartedPart("replication '" + config.replication().name() + "'", replication));
            pipeline.serve(replication);
            Optional<HostPort> metricsListen = config.kernel().get(KernelKeys.METRICS_LISTEN);
            if (metricsListen.isPresent()) {
                MetricsEndpoint metricsEndpoint = MetricsEndpoint.start(metricsListen.get(), pipeline);
                started.push(new StartedPart("metrics endpoint", metricsEndpoint));
                endpoints.add(metricsEndpoint.endpoint());
            }
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Tells each listener in turn (indexes, the ordered key directory, the expiry sweeper) of every applied batch. */
    private static CommitListener allListeners(List<CommitListener> listeners) {
        return new CommitListener() {
            @Override
            public void committed(long sequence, WriteBatch batch) {
                for (CommitListener listener : listeners) {
                    listener.committed(sequence, batch);
                }
            }

            @Override
            public void reset(long sequence) {
                for (CommitListener listener : listeners) {
                    listener.reset(sequence);
                }
            }
        };
    }

    /** The expiry sweeper (tests run a sweep without waiting for its interval). */
    public ExpirySweeper sweeper() {
        return sweeper;
    }

    private IndexPipelineSettings indexSettings() {
        return new IndexPipelineSettings(config.kernel().get(KernelKeys.INDEX_QUERY_THREADS),
                config.kernel().get(KernelKeys.INDEX_QUERY_QUEUE),
                config.kernel().get(KernelKeys.INDEX_FRESHNESS_TIMEOUT_MS),
                config.kernel().get(KernelKeys.INDEX_COMMIT_INTERVAL_MS),
                config.kernel().get(KernelKeys.INDEX_QUEUE_MAX_BYTES));
    }

    /** Where the node listens, in transport order. */
    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    /** The request pipeline (for in-process embedding and tests). */
    public RequestPipeline pipeline() {
        return pipeline;
    }

    /**
     * Whether the calling thread is one of a transport's own threads (an event loop): the node
     * must never make it wait for the stop, since the stop waits for it.
     */
    public boolean ownsCurrentThread() {
        for (Transport transport : transports) {
            if (transport.ownsCurrentThread()) {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@link #close()} has not closed yet: the part it is closing now first, then the rest
     * in the order it will close them; empty once it is done. Safe from any thread.
     */
    public List<String> notClosed() {
        List<String> names = new ArrayList<>();
        StartedPart current = closing;
        if (current != null) {
            names.add(current.name() + " (closing)");
        }
        for (StartedPart part : started) {
            names.add(part.name());
        }
        return names;
    }

    /** Refuses new requests, then closes the parts in the reverse order of their start. */
    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.shutDown();
        }
        StartedPart part;
        while ((part = started.peekFirst()) != null) {
            closing = part;
            started.pollFirst();
            try {
                part.closeable().close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "failed to close " + part.name() + " cleanly", e);
            } finally {
                closing = null;
            }
        }
    }

    /** One started part of the node, named for logs. */
    private record StartedPart(String name, AutoCloseable closeable) {
    }
}
