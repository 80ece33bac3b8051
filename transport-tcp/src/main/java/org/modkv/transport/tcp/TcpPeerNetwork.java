package org.modkv.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.PeerHandler;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.netty.ServerShutdown;
import org.modkv.netty.NettyIo;

/**
 * The {@link PeerNetwork} of the {@code tcp} transport: {@code PeerFrame}s (see
 * {@code peer.proto}) over TCP, one {@link OutboundPeer} connection per other node for what this
 * node sends, and a listener on {@code tcp.peer.listen} for what the others send
 * ({@link InboundPeerHandler}). Replies travel back on the connection their request came on.
 *
 * <p>Threads: it runs on the client transport's event loops (the acceptor takes peer
 * connections too) with the same I/O backend ({@code tcp.io.transport}). Peer traffic is a few
 * connections of small messages next to the clients', and a separate set of threads would only
 * compete with them and the storage's commit thread for the same cores.
 *
 * @see org.modkv.protocol.wire.PeerFrame
 */
final class TcpPeerNetwork implements PeerNetwork {
    private static final System.Logger LOG = System.getLogger(TcpPeerNetwork.class.getName());
    /**
     * Writability of a peer connection flips at these outbound buffer sizes; while one is not
     * writable, sends to that peer are dropped and requests fail rather than queue without bound.
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 8 << 20);

    private final PeerSettings settings;
    private final Map<String, OutboundPeer> outbound;
    private final PeerHandlers handlers;
    private final PeerCounters counters;
    private final Channel listener;
    private final ChannelGroup inbound;
    private final Endpoint endpoint;
    private volatile boolean closed;

    private TcpPeerNetwork(PeerSettings settings, Map<String, OutboundPeer> outbound, PeerHandlers handlers,
                           PeerCounters counters, Channel listener, ChannelGroup inbound) {
        this.settings = settings;
        this.outbound = outbound;
        this.handlers = handlers;
        this.counters = counters;
        this.listener = listener;
        this.inbound = inbound;
        this.endpoint = new Endpoint("peer", (InetSocketAddress) listener.localAddress());
    }

    /**
     * Binds {@code tcp.peer.listen} and gets ready to reach the peers (it dials none yet).
     *
     * @throws IOException if the address cannot be bound, naming the key
     */
    static TcpPeerNetwork start(PeerSettings settings, NettyIo io, EventLoopGroup acceptor, EventLoopGroup workers)
            throws IOException {
        PeerCounters counters = new PeerCounters();
        PeerHandlers handlers = new PeerHandlers();
        ChannelGroup inbound = new DefaultChannelGroup("modkv-peer", GlobalEventExecutor.INSTANCE);
        ServerBootstrap server = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(io.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        inbound.add(ch);
                        ch.pipeline().addLast("frames", new PeerFrameDecoder(settings.maxFrameBytes(), counters));
                        ch.pipeline().addLast("peer", new InboundPeerHandler(settings, handlers, counters));
                    }
                });
        ChannelFuture bound = server.bind(settings.listen().host(), settings.listen().port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on tcp.peer.listen=" + settings.listen() + ": "
                    + (cause == null ? "unknown reason" : cause.getMessage()), cause);
        }
        Bootstrap client = new Bootstrap()
                .channel(io.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, OutboundPeer.CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        Map<String, OutboundPeer> outbound = new LinkedHashMap<>();
        settings.peers().forEach((id, address) -> {
            var loop = workers.next();
            outbound.put(id, new OutboundPeer(id, address, loop, client.clone(loop), settings, counters));
        });
        TcpPeerNetwork network = new TcpPeerNetwork(settings, Collections.unmodifiableMap(outbound), handlers,
                counters, bound.channel(), inbound);
        LOG.log(Level.INFO, () -> "peer network of node " + settings.localId() + " listening on "
                + network.endpoint.hostPort() + "; peers: " + settings.peers());
        return network;
    }

    /** Where the other nodes connect: the {@code peer} field of the ready line. */
    Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public String localId() {
        return settings.localId();
    }

    @Override
    public Set<String> peerIds() {
        return outbound.keySet();
    }

    @Override
    public void send(String peerId, String channel, byte[] message) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        OutboundPeer peer = outbound.get(Objects.requireNonNull(peerId, "peerId"));
        if (peer == null || closed) {
            counters.sendsDropped.increment();
            LOG.log(Level.DEBUG, () -> "dropped a message to " + peerId + " on channel " + channel + ": "
                    + (closed ? "node " + localId() + " is shutting down" : unknownPeer(peerId)));
            return;
        }
        peer.send(channel, message);
    }

    @Override
    public CompletableFuture<byte[]> request(String peerId, String channel, byte[] message, long timeoutMillis) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(message, "message");
        OutboundPeer peer = outbound.get(Objects.requireNonNull(peerId, "peerId"));
        if (timeoutMillis <= 0) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.INVALID_REQUEST,
                    "timeout for a request to " + peerId + " on channel " + channel + " is " + timeoutMillis
                            + " ms; it must be at least 1"));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.SHUTTING_DOWN, "node " + localId()
                    + " is shutting down; request to peer " + peerId + " on channel " + channel + " abandoned"));
        }
        if (peer == null) {
            counters.requestsFailed.increment();
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.UNAVAILABLE, unknownPeer(peerId)));
        }
        return peer.request(channel, message, timeoutMillis);
    }

    @Override
    public void register(String channel, PeerHandler handler) {
        handlers.register(channel, handler);
    }

    /** The peer figures, for the transport's stats. */
    void addStats(Map<String, Object> out) {
        counters.addTo(out, outbound.size());
    }

    /**
     * Stops listening and closes every peer connection; waiting requests fail with
     * {@code SHUTTING_DOWN}; the event loops stay up. Waits for the connections to close until
     * {@code deadline} ({@link System#nanoTime()}), noting in {@code unfinished} what did not;
     * with {@code wait} false (the caller is one of the event loops) it only starts it.
     */
    void close(boolean wait, long deadline, List<String> unfinished) {
        if (closed) {
            return;
        }
        closed = true;
        Future<?> listening = listener.close();
        List<String> peersOpen = new ArrayList<>();
        for (OutboundPeer peer : outbound.values()) {
            if (!peer.close(wait, deadline) && wait) {
                peersOpen.add(peer.id());
            }
        }
        Future<?> inboundOpen = inbound.close();
        if (!wait) {
            return;
        }
        ServerShutdown.awaitUntil(deadline, listening, "the peer listening socket", unfinished);
        if (!peersOpen.isEmpty()) {
            unfinished.add("the connections to peers " + peersOpen);
        }
        ServerShutdown.awaitUntil(deadline, inboundOpen, "the connections from peers", unfinished);
        LOG.log(Level.DEBUG, () -> "peer network of node " + localId() + " on " + endpoint.hostPort() + " closed");
    }

    private String unknownPeer(String peerId) {
        if (peerId.equals(localId())) {
            return "peer '" + peerId + "' is this node; it does not send messages to itself";
        }
        return "no peer '" + peerId + "' in tcp.peers of node " + localId() + "; known peers: "
                + settings.describePeers();
    }
}
