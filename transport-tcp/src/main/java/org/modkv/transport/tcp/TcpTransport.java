package org.modkv.transport.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportContext;
import org.modkv.netty.BurstEndNotices;
import org.modkv.netty.NettyIo;
import org.modkv.netty.ServerShutdown;

/**
 * The running {@code tcp} server: one acceptor thread, {@code tcp.io.threads} event loops
 * (io_uring, epoll or NIO: {@code tcp.io.transport}), and per connection the pipeline
 * [idle timer] → {@link RequestFrameDecoder} → {@link ClientSession}, or
 * {@link RefusedConnection} alone when {@code tcp.max.connections} are already open. With
 * {@code tcp.peers} set, a {@link TcpPeerNetwork} shares the acceptor and the event loops.
 */
final class TcpTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    /** Writability flips at these outbound buffer sizes (per connection). */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    /** Longest {@link #close()} waits for the connections and event loops to close. */
    private static final long CLOSE_WAIT_MS = 5_000;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final Endpoint endpoint;
    private final TcpCounters counters;
    private final NettyIo io;
    /** Present when {@code tcp.peers} is set. */
    private final Optional<TcpPeerNetwork> peers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpTransport(EventLoopGroup acceptor, EventLoopGroup workers, Channel serverChannel,
                         ChannelGroup connections, TcpCounters counters, NettyIo io, Optional<TcpPeerNetwork> peers) {
        this.io = io;
        this.peers = peers;
        this.acceptor = acceptor;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.endpoint = new Endpoint("tcp", (InetSocketAddress) serverChannel.localAddress());
        this.counters = counters;
    }

    static TcpTransport start(TcpSettings settings, Optional<PeerSettings> peerSettings, TransportContext context)
            throws IOException {
        TcpCounters counters = new TcpCounters();
        RequestDispatcher dispatcher = new RequestDispatcher(context.requests(), counters::snapshot);
        TrafficCounter traffic = new TrafficCounter(counters);
        NettyIo io;
        try {
            io = NettyIo.choose(TcpTransportProvider.IO_TRANSPORT.name(), settings.ioTransport());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("modkv-tcp-accept"),
                io.handlerFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                new DefaultThreadFactory("modkv-tcp-io"), io.handlerFactory());
        TcpServerState state = new TcpServerState(settings, counters, dispatcher, context.requests(), context.nodeId(),
                context.latency(), BurstEndNotices.forGroup(workers, io, settings.asyncFsync(), context.requests()));
        ChannelGroup connections = new DefaultChannelGroup("modkv-tcp", GlobalEventExecutor.INSTANCE);

        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(io.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast("traffic", traffic);
                        if (!counters.tryOpen(settings.maxConnections())) {
                            LOG.log(Level.INFO, () -> "refusing connection from " + ch.remoteAddress()
                                    + ": tcp.max.connections=" + settings.maxConnections() + " are open");
                            ch.pipeline().addLast("refused", new RefusedConnection(settings.maxConnections()));
                            return;
                        }
                        ch.closeFuture().addListener(f -> counters.closed());
                        if (settings.idleTimeoutMs() > 0) {
                            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutMs(),
                                    TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast("frames", new RequestFrameDecoder(settings.maxFrameBytes(), counters));
                        ch.pipeline().addLast("session", new ClientSession(state));
                    }
                });

        String listen = settings.listen().toString();
        ChannelFuture bound = bootstrap.bind(settings.listen().host(), settings.listen().port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdown(acceptor, workers);
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on tcp.listen=" + listen + ": "
                    + (cause == null ? "unknown reason" : cause.getMessage()), cause);
        }
        Optional<TcpPeerNetwork> peers = Optional.empty();
        if (peerSettings.isPresent()) {
            try {
                peers = Optional.of(TcpPeerNetwork.start(peerSettings.get(), io, acceptor, workers));
            } catch (IOException | RuntimeException e) {
                bound.channel().close().awaitUninterruptibly();
                shutdown(acceptor, workers);
                throw e;
            }
        }
        TcpTransport transport = new TcpTransport(acceptor, workers, bound.channel(), connections, counters, io, peers);
        LOG.log(Level.INFO, () -> "tcp transport listening on " + transport.endpoint.hostPort() + " ("
                + io.configName() + ", " + settings.ioThreads() + " I/O threads)");
        return transport;
    }

    /** The I/O backend serving the connections. */
    NettyIo io() {
        return io;
    }

    @Override
    public List<Endpoint> endpoints() {
        return peers.map(p -> List.of(endpoint, p.endpoint())).orElse(List.of(endpoint));
    }

    @Override
    public Optional<PeerNetwork> peerNetwork() {
        return peers.map(p -> p);
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> stats = counters.snapshot();
        peers.ifPresent(p -> p.addStats(stats));
        return stats;
    }

    @Override
    public boolean ownsCurrentThread() {
        return ServerShutdown.runsOn(acceptor, workers);
    }

    /**
     * Stops accepting, closes every connection (in-flight replies are dropped) and the peer
     * network, and shuts the event loops down. From another thread it waits up to
     * {@link #CLOSE_WAIT_MS} for that and logs what did not finish; on one of its own event loops
     * it only starts it (the loop must return for it to finish). Holds no lock while it waits.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean ownThread = ownsCurrentThread();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        List<String> unfinished = new ArrayList<>();
        peers.ifPresent(p -> p.close(!ownThread, deadline, unfinished));
        ServerShutdown.close(serverChannel, connections, acceptor, workers, ownThread, deadline, unfinished);
        if (ownThread) {
            LOG.log(Level.INFO, () -> this + " closing (asked on its own event loop, which does not wait)");
            return;
        }
        if (unfinished.isEmpty()) {
            LOG.log(Level.INFO, () -> "tcp transport on " + endpoint.hostPort() + " closed");
        } else {
            LOG.log(Level.WARNING, () -> this + ": " + String.join(", ", unfinished) + " did not close within "
                    + CLOSE_WAIT_MS + " ms");
        }
    }

    /** Whether every thread of this transport has ended (after {@link #close()}); for tests. */
    boolean threadsEnded() {
        return acceptor.isTerminated() && workers.isTerminated();
    }

    private static void shutdown(EventLoopGroup acceptor, EventLoopGroup workers) {
        var a = acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        var w = workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        a.awaitUninterruptibly();
        w.awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "tcp transport on " + endpoint.hostPort();
    }
}
