package org.modkv.transport.tcp;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.modkv.api.ApiVersion;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.config.HostPort;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportContext;
import org.modkv.api.transport.TransportProvider;
import org.modkv.protocol.FrameFormat;

/**
 * The {@code tcp} transport: the modkv client protocol (length-prefixed Protobuf frames, see
 * {@code modkv.proto}) over TCP, served by Netty. Endpoint name {@code tcp}. With
 * {@code tcp.peers} set it also carries the cluster's {@link org.modkv.api.transport.PeerNetwork}
 * ({@code peer.proto}), endpoint name {@code peer}.
 */
public final class TcpTransportProvider implements TransportProvider {
    static final ConfigKey<HostPort> LISTEN = ConfigKey.hostPort("tcp.listen", "127.0.0.1:7379",
            "Address the client protocol listens on; port 0 picks a free port.");
    static final ConfigKey<Long> MAX_FRAME_BYTES = ConfigKey.bytes("tcp.max.frame.bytes", "16MiB",
            FrameFormat.MIN_MAX_FRAME_BYTES, 1L << 30,
            "Largest request frame accepted; a larger length prefix gets an error and the connection is closed.");
    static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.integer("tcp.max.connections", 10_000, 1, 1_000_000,
            "Client connections served at once; one more is told OVERLOADED and closed.");
    static final ConfigKey<Integer> MAX_IN_FLIGHT = ConfigKey.integer("tcp.max.inflight", 1024, 1, 1 << 20,
            "Requests one connection may have in progress; at the limit the transport stops reading from it.");
    static final ConfigKey<Integer> IO_THREADS = ConfigKey.integer("tcp.io.threads", 0, 0, 1024,
            "Netty event-loop threads; 0 means one per two available processors (at least one), leaving the "
                    + "rest to the storage's commit thread and the other transports.");
    static final ConfigKey<String> IO_TRANSPORT = ConfigKey.choice("tcp.io.transport", "auto",
            "Netty I/O backend for client and peer connections: io_uring and epoll need Linux; auto takes the first of "
                    + "io_uring, epoll, nio that runs here. io_uring hands the kernel all the socket reads and "
                    + "writes of an event-loop pass in one system call, where epoll and nio make one per socket.",
            "auto", "io_uring", "epoll", "nio");
    static final ConfigKey<Boolean> ASYNC_FSYNC = ConfigKey.bool("tcp.io.async.fsync", false,
            "With io_uring: let storage that commits a pass's writes on the event loop (wal.caller.commits) "
                    + "start its fsync on the loop's ring and go on serving connections while the disk works, "
                    + "instead of blocking the loop in the fsync; replies still wait for the fsync. Cuts the "
                    + "latency of reads under a durable write load, but gave fewer durable writes/s "
                    + "(docs/design/write-path.md).");
    static final ConfigKey<Long> IDLE_TIMEOUT_MS = ConfigKey.longInteger("tcp.idle.timeout.ms", 0, 0, Long.MAX_VALUE,
            "Close a connection with nothing in progress after this long without traffic; 0 never does.");

    static final ConfigKey<Map<String, HostPort>> PEERS = ConfigKey.of("tcp.peers",
            "comma-separated id=host:port (id: " + PeerSettings.ID_RULE + ")", "",
            "The nodes of the cluster and their tcp.peer.listen addresses, e.g. n1=10.0.0.1:7380,n2=10.0.0.2:7380,"
                    + "n3=10.0.0.3:7380. This node's own entry is skipped, so every node can be given the same list. "
                    + "Prefer IP addresses (a host name is looked up on each connect, on a network thread). "
                    + "Empty: no peer network, and nothing listens on tcp.peer.listen.",
            PeerSettings::parsePeers);
    static final ConfigKey<HostPort> PEER_LISTEN = ConfigKey.hostPort("tcp.peer.listen", "127.0.0.1:7380",
            "Address the other nodes connect to when tcp.peers is set; port 0 picks a free port.");
    static final ConfigKey<Long> PEER_MAX_FRAME_BYTES = ConfigKey.bytes("tcp.peer.max.frame.bytes", "64MiB",
            FrameFormat.MIN_MAX_FRAME_BYTES, 1L << 30,
            "Largest message between nodes; a larger frame is refused and its connection closed (and logged). "
                    + "Give every node the same value.");

    private static final ConfigSchema SCHEMA = ConfigSchema.of(LISTEN, MAX_FRAME_BYTES, MAX_CONNECTIONS,
            MAX_IN_FLIGHT, IO_THREADS, IO_TRANSPORT, ASYNC_FSYNC, IDLE_TIMEOUT_MS, PEERS, PEER_LISTEN, PEER_MAX_FRAME_BYTES);

    /** For {@link java.util.ServiceLoader}. */
    public TcpTransportProvider() {
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "client protocol: length-prefixed Protobuf frames over TCP (Netty), pipelined; "
                + "with tcp.peers, the messages between nodes too";
    }

    @Override
    public ConfigSchema configSchema() {
        return SCHEMA;
    }

    @Override
    public Transport start(TransportContext context) throws IOException {
        return TcpTransport.start(settings(context.config()), peerSettings(context.config(), context.nodeId()),
                context);
    }

    static TcpSettings settings(Config config) {
        return new TcpSettings(config.get(LISTEN), (int) (long) config.get(MAX_FRAME_BYTES),
                config.get(MAX_CONNECTIONS), config.get(MAX_IN_FLIGHT), ioThreads(config.get(IO_THREADS)),
                config.get(IO_TRANSPORT), config.get(ASYNC_FSYNC), config.get(IDLE_TIMEOUT_MS));
    }

    /** The peer network's settings, or empty when {@code tcp.peers} is empty (a node on its own). */
    static Optional<PeerSettings> peerSettings(Config config, String nodeId) {
        Map<String, HostPort> peers = config.get(PEERS);
        if (peers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PeerSettings.of(nodeId, peers, config.get(PEER_LISTEN),
                (int) (long) config.get(PEER_MAX_FRAME_BYTES)));
    }

    /** {@code tcp.io.threads}, with 0 meaning one per two processors: on a small machine, more event loops than cores only add context switches. */
    static int ioThreads(int configured) {
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
