package org.modkv.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.modkv.api.config.Config;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.NodeStatus;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.RequestLimits;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportContext;
import org.modkv.transport.tcp.TcpTransportProvider;

/**
 * The real {@code tcp} transport in front of a map: a modkv node as the client sees it, without
 * storage, replication or the kernel. Search is a word scan over the values.
 */
final class InMemoryModkvNode implements RequestHandler, AutoCloseable {
    private static final RequestLimits LIMITS = new RequestLimits(256, 1024 * 1024, 4 * 1024 * 1024, 1000);

    private final Map<ByteBuffer, byte[]> data = new ConcurrentHashMap<>();
    private final Transport transport;

    InMemoryModkvNode() throws IOException {
        Config config = new TcpTransportProvider().configSchema().bind(Map.of("tcp.listen", "127.0.0.1:0"));
        RequestHandler self = this;
        transport = new TcpTransportProvider().start(new TransportContext() {
            @Override
            public RequestHandler requests() {
                return self;
            }

            @Override
            public String nodeId() {
                return "bench-test-node";
            }

            @Override
            public Config config() {
                return config;
            }

            @Override
            public Path dataDir() {
                throw new UnsupportedOperationException("no files");
            }

            @Override
            public Clock clock() {
                return Clock.system();
            }

            @Override
            public Scheduler scheduler() {
                return new Scheduler() {
                    @Override
                    public void execute(Runnable task) {
                        task.run();
                    }

                    @Override
                    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
                        throw new UnsupportedOperationException("not in this test node");
                    }
                };
            }
        });
    }

    String hostPort() {
        return transport.endpoints().get(0).hostPort();
    }

    int keys() {
        return data.size();
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key, Consistency consistency) {
        return CompletableFuture.completedFuture(Optional.ofNullable(data.get(ByteBuffer.wrap(key))));
    }

    @Override
    public CompletableFuture<List<Optional<byte[]>>> getAll(List<byte[]> keys, Consistency consistency) {
        List<Optional<byte[]>> out = new ArrayList<>();
        for (byte[] key : keys) {
            out.add(Optional.ofNullable(data.get(ByteBuffer.wrap(key))));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        data.put(ByteBuffer.wrap(key.clone()), value.clone());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> delete(byte[] key) {
        return CompletableFuture.completedFuture(data.remove(ByteBuffer.wrap(key)) != null);
    }

    @Override
    public synchronized CompletableFuture<Void> write(WriteBatch batch) {
        for (var m : batch.mutations()) {
            if (m.type() == MutationType.PUT) {
                data.put(ByteBuffer.wrap(m.key()), m.value());
            } else {
                data.remove(ByteBuffer.wrap(m.key()));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<ScoredKey>> query(String indexName, IndexQuery query) {
        List<ScoredKey> hits = new ArrayList<>();
        String word = " " + query.arguments().get(0) + " ";
        data.forEach((k, v) -> {
            if ((" " + new String(v, StandardCharsets.UTF_8) + " ").contains(word)) {
                byte[] key = new byte[k.remaining()];
                k.duplicate().get(key);
                hits.add(new ScoredKey(key, 1.0));
            }
        });
        return CompletableFuture.completedFuture(hits);
    }

    @Override
    public NodeStatus status() {
        return new NodeStatus("bench-test-node", new ReplicationStatus(ReplicationRole.STANDALONE, Optional.empty(),
                Map.of()), data.size());
    }

    @Override
    public Map<String, Map<String, Object>> stats() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        out.put("node", Map.of("id", "bench-test-node"));
        return out;
    }

    @Override
    public RequestLimits limits() {
        return LIMITS;
    }

    @Override
    public void close() {
        transport.close();
    }
}
