package org.modkv.transport.resp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.Transport;
import org.modkv.netty.BurstEndNotices;
import org.modkv.netty.NettyIo;
import org.modkv.netty.ServerShutdown;

/**
 * The running RESP transport: a Netty server (io_uring, epoll or NIO) whose connections each get a
 * {@link RespConnection}. One acceptor thread, {@code resp.io.threads} I/O threads.
 */
final class RespServer implements Transport {
    private static final System.Logger LOG = System.getLogger(RespServer.class.getName());
    /** Longest {@link #close()} waits for the connections and event loops to close. */
    private static final long CLOSE_WAIT_MS = 5_000;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup connections = new DefaultChannelGroup("modkv-resp", GlobalEventExecutor.INSTANCE);
    private final ConnectionGate gate;
    private final TrafficCounters traffic = new TrafficCounters();
    private final Channel serverChannel;
    private final InetSocketAddress address;
    private final NettyIo io;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RespServer(RespSettings settings, RequestHandler kernel, LatencyRecorder latency) throws IOException {
        try {
            io = NettyIo.choose(RespSettings.IO_TRANSPORT.name(), settings.ioTransport());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        IoHandlerFactory handlers = io.handlerFactory();
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("modkv-resp-accept", true), handlers);
        workers = new MultiThreadIoEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("modkv-resp-io", true),
                handlers);
        BurstEndNotices burstEnds = BurstEndNotices.forGroup(workers, io, settings.asyncFsync(), kernel);
        gate = new ConnectionGate(settings.maxConnections());
        AtomicLong clientIds = new AtomicLong();
        AtomicInteger boundPort = new AtomicInteger(settings.listen().port()); // the real one once bound
        CommandTable commands = new CommandTable(kernel, gate::open, boundPort::get);

        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(io.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline()
                                .addLast("gate", gate)
                                .addLast("resp", new RespConnection(new RequestParser(settings), commands,
                                        new ClientSession(clientIds.incrementAndGet()), settings.maxPendingRequests(),
                                        latency, traffic, burstEnds.forLoop(channel.eventLoop())));
                    }
                });
        ChannelFuture bind = bootstrap.bind(settings.listen().host(), settings.listen().port()).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            shutDown();
            Throwable cause = bind.cause();
            throw new IOException("resp.listen=" + settings.listen() + ": cannot listen: " + cause.getMessage(), cause);
        }
        serverChannel = bind.channel();
        address = (InetSocketAddress) serverChannel.localAddress();
        boundPort.set(address.getPort());
        LOG.log(Level.INFO, () -> "RESP transport listening on " + address.getHostString() + ":" + address.getPort()
                + " (" + io.configName() + ", " + settings.ioThreads() + " I/O threads)");
    }

    /** The I/O backend serving the connections. */
    NettyIo io() {
        return io;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException if the address cannot be bound; the message names {@code resp.listen}
     */
    static RespServer start(RespSettings settings, RequestHandler kernel, LatencyRecorder latency) throws IOException {
        return new RespServer(settings, kernel, latency);
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("connections.open", gate.open());
        stats.put("connections.refused", gate.refused());
        stats.put("requests", traffic.requests.sum());
        stats.put("bytes_received", traffic.bytesReceived.sum());
        stats.put("bytes_sent", traffic.bytesSent.sum());
        return stats;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(new Endpoint("resp", address));
    }

    /** Figures of every open connection, each read on its own event loop. Blocks; for tests and diagnostics. */
    List<ConnectionStats> connectionStats() throws InterruptedException {
        List<ConnectionStats> stats = new ArrayList<>();
        for (Channel channel : connections) {
            RespConnection connection = channel.pipeline().get(RespConnection.class);
            if (connection == null || !channel.isActive()) {
                continue;
            }
            try {
                stats.add(channel.eventLoop().submit(connection::stats).get());
            } catch (ExecutionException e) {
                // closed meanwhile
            }
        }
        return stats;
    }

    @Override
    public boolean ownsCurrentThread() {
        return ServerShutdown.runsOn(acceptor, workers);
    }

    /**
     * Stops listening, closes every connection and shuts the event loops down. From another
     * thread it waits up to {@link #CLOSE_WAIT_MS} for that and logs what did not finish; on one
     * of its own event loops it only starts it (the loop must return for it to finish).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean ownThread = ownsCurrentThread();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        List<String> unfinished = new ArrayList<>();
        ServerShutdown.close(serverChannel, connections, acceptor, workers, ownThread, deadline, unfinished);
        if (ownThread) {
            LOG.log(Level.INFO, "RESP transport closing (asked on its own event loop, which does not wait)");
            return;
        }
        if (unfinished.isEmpty()) {
            LOG.log(Level.INFO, "RESP transport stopped");
        } else {
            LOG.log(Level.WARNING, "RESP transport: " + String.join(", ", unfinished) + " did not close within "
                    + CLOSE_WAIT_MS + " ms");
        }
    }

    /** Whether every thread of this transport has ended (after {@link #close()}); for tests. */
    boolean threadsEnded() {
        return acceptor.isTerminated() && workers.isTerminated();
    }

    /** Shuts the event loops down after a failed bind (nothing else is open yet). */
    private void shutDown() {
        Future<?> a = acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        Future<?> w = workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        a.awaitUninterruptibly();
        w.awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "RESP transport on " + (address == null ? "(not bound)" : address.getHostString() + ":" + address.getPort());
    }
}
