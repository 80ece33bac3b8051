package org.modkv.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.ProtocolVersion;
import org.modkv.protocol.wire.Error;
import org.modkv.protocol.wire.Hello;
import org.modkv.protocol.wire.HelloOk;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;

/**
 * One Netty connection to one server, with pipelined requests matched to replies by id.
 *
 * <p>Any thread may {@link #call}. Replies, timeouts and connection loss complete the
 * returned futures on the connection's event-loop thread. Once the connection is lost every
 * pending and later call fails with the same cause; there is no reconnect.
 */
final class ClientConnection {
    static final String CLIENT_NAME = "modkv-java-client";

    private final ServerAddress address;
    private volatile Channel channel;
    private final long requestTimeoutNanos;
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    /** Request frames waiting for the event loop to write them; see {@link #sendQueued}. */
    private final Queue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sendScheduled = new AtomicBoolean();
    private final Runnable sendTask = this::sendQueued;
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile int maxRequestBytes;
    private volatile ModkvClientException closedCause;
    private volatile HelloOk hello;

    private ClientConnection(ServerAddress address, ClientOptions options) {
        this.address = address;
        this.requestTimeoutNanos = options.requestTimeout().toNanos();
        this.maxRequestBytes = options.maxFrameBytes();
    }

    /**
     * Connects to {@code address} and does the Hello handshake.
     *
     * @throws ModkvClientException {@code UNAVAILABLE} if the server cannot be reached, or the
     *     server's error (e.g. {@code UNSUPPORTED_PROTOCOL_VERSION}, {@code OVERLOADED})
     */
    static ClientConnection open(ServerAddress address, ClientOptions options, EventLoopGroup group,
                                 Class<? extends SocketChannel> channelType) {
        // Exists before the socket does: the server may speak first (e.g. "too many connections").
        ClientConnection connection = new ClientConnection(address, options);
        Duration connectTimeout = options.connectTimeout();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frames", new LengthFieldBasedFrameDecoder(options.maxFrameBytes(),
                                0, FrameFormat.LENGTH_PREFIX_BYTES, 0, FrameFormat.LENGTH_PREFIX_BYTES));
                        ch.pipeline().addLast("replies", new ReplyHandler(connection));
                    }
                });
        ChannelFuture connected = bootstrap.connect(address.host(), address.port());
        if (!connected.awaitUninterruptibly(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            connected.cancel(false);
            connected.channel().close();
            throw new ModkvClientException("UNAVAILABLE", "cannot connect to " + address + ": no answer within "
                    + connectTimeout.toMillis() + " ms");
        }
        if (!connected.isSuccess()) {
            Throwable cause = connected.cause();
            throw new ModkvClientException("UNAVAILABLE", "cannot connect to " + address + ": " + describe(cause), cause);
        }
        connection.channel = connected.channel();
        connection.startExpiring();
        connection.handshake(connectTimeout);
        return connection;
    }

    private void handshake(Duration timeout) {
        Request.Builder helloRequest = Request.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.CURRENT).setClientName(CLIENT_NAME));
        Response reply;
        try {
            reply = call(helloRequest).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            close();
            throw e.getCause() instanceof ModkvClientException m ? m
                    : new ModkvClientException("PROTOCOL", "handshake with " + address + " failed: " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new ModkvClientException("UNAVAILABLE", "no handshake reply from " + address + " within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new ModkvClientException("INTERRUPTED", "interrupted while connecting to " + address);
        }
        if (reply.getBodyCase() != Response.BodyCase.HELLO_OK) {
            close();
            throw new ModkvClientException("PROTOCOL", address + " answered the handshake with "
                    + reply.getBodyCase() + " instead of HELLO_OK; is it a modkv tcp port?");
        }
        HelloOk ok = reply.getHelloOk();
        if (ok.getMaxFrameBytes() > 0) {
            maxRequestBytes = ok.getMaxFrameBytes();
        }
        hello = ok;
    }

    /** What the server said in the handshake. */
    HelloOk hello() {
        return hello;
    }

    ServerAddress address() {
        return address;
    }

    /** The Netty channel class of this connection (its I/O backend). */
    Class<?> channelType() {
        return channel.getClass();
    }

    /** Whether the connection still takes requests (not lost, not closed). */
    boolean isOpen() {
        return closedCause == null;
    }

    /** Whether the current thread is this connection's I/O thread. */
    boolean inEventLoop() {
        return channel.eventLoop().inEventLoop();
    }

    /**
     * Sends a request (its id is assigned here) and returns its reply. A server {@code Error}
     * reply fails the future with a {@link ModkvClientException} carrying the server's code.
     */
    CompletableFuture<Response> call(Request.Builder builder) {
        ModkvClientException closed = closedCause;
        if (closed != null) {
            return CompletableFuture.failedFuture(closed);
        }
        long id = nextId.getAndIncrement();
        Request request = builder.setId(id).build();
        int size = request.getSerializedSize();
        if (size > maxRequestBytes) {
            return CompletableFuture.failedFuture(new ModkvClientException("TOO_LARGE", "request of " + size
                    + " bytes exceeds the server's max frame of " + maxRequestBytes
                    + " bytes (tcp.max.frame.bytes); it was not sent"));
        }
        PendingCall call = new PendingCall(System.nanoTime() + requestTimeoutNanos);
        pending.put(id, call);
        closed = closedCause;
        if (closed != null) {
            // failAll may have drained the map before our put; whoever removes the call fails it.
            if (pending.remove(id) != null) {
                call.future.completeExceptionally(closed);
            }
            return call.future;
        }
        outgoing.add(new Outgoing(id, Unpooled.wrappedBuffer(FrameFormat.encode(request))));
        if (sendScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(sendTask);
            } catch (RejectedExecutionException e) {
                // The I/O thread is gone: the client is being closed concurrently.
                fail(id, new ModkvClientException("CLOSED", "the client was closed"));
            }
        }
        return call.future;
    }

    /**
     * On the event loop: writes every queued request frame and flushes once. Callers only queue
     * and wake the event loop (once per burst), so concurrent callers on one connection share
     * one write system call instead of each paying a task and a flush.
     */
    private void sendQueued() {
        sendScheduled.set(false);
        Outgoing next;
        boolean wrote = false;
        while ((next = outgoing.poll()) != null) {
            long id = next.id();
            channel.write(next.frame()).addListener(f -> {
                if (!f.isSuccess()) {
                    fail(id, new ModkvClientException("UNAVAILABLE", "cannot send to " + address + ": "
                            + describe(f.cause()), f.cause()));
                }
            });
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /**
     * Times calls out with one periodic sweep of the pending calls, every quarter of the request
     * timeout (at most every 100 ms, at least every 1 ms), rather than a timer per call: a timer
     * per call costs a task on the I/O thread for every request.
     */
    private void startExpiring() {
        long period = Math.max(1_000_000L, Math.min(100_000_000L, requestTimeoutNanos / 4));
        ScheduledFuture<?> sweep = channel.eventLoop().scheduleAtFixedRate(this::expireOverdue, period, period,
                TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(f -> sweep.cancel(false));
    }

    private void expireOverdue() {
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Map.Entry<Long, PendingCall> entry : pending.entrySet()) {
            if (now - entry.getValue().deadlineNanos >= 0) {
                timeOut(entry.getKey());
            }
        }
    }

    private void timeOut(long id) {
        fail(id, new ModkvClientException("TIMEOUT", "no reply from " + address + " within "
                + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos) + " ms; the request may or may not have been applied"));
    }

    private void fail(long id, ModkvClientException cause) {
        PendingCall call = pending.remove(id);
        if (call != null) {
            call.future.completeExceptionally(cause);
        }
    }

    /** Called on the event loop for each reply frame. */
    private void onReply(ChannelHandlerContext ctx, Response reply) {
        if (reply.getId() == FrameFormat.CONNECTION_ID) {
            ModkvClientException cause = reply.hasError() ? toException(reply.getError())
                    : new ModkvClientException("PROTOCOL", address + " sent a " + reply.getBodyCase() + " with id 0");
            failAll(cause);
            ctx.close();
            return;
        }
        PendingCall call = pending.remove(reply.getId());
        if (call == null) {
            return; // timed out already
        }
        if (reply.hasError()) {
            call.future.completeExceptionally(toException(reply.getError()));
        } else {
            call.future.complete(reply);
        }
    }

    static ModkvClientException toException(Error error) {
        String code = switch (error.getCode()) {
            case ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> "INTERNAL";
            default -> error.getCode().name();
        };
        return new ModkvClientException(code, error.getMessage(), error.hasLeaderId() ? error.getLeaderId() : null, null);
    }

    /** Fails every pending call and every later one with {@code cause}; the first cause wins. */
    private void failAll(ModkvClientException cause) {
        synchronized (this) {
            if (closedCause == null) {
                closedCause = cause;
            }
        }
        ModkvClientException effective = closedCause;
        for (Long id : pending.keySet()) {
            PendingCall call = pending.remove(id);
            if (call != null) {
                    call.future.completeExceptionally(effective);
            }
        }
    }

    /** Closes the connection; pending calls fail with {@code CLOSED}. Does not wait. */
    ChannelFuture close() {
        failAll(new ModkvClientException("CLOSED", "the client was closed"));
        return channel.close();
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown reason";
        }
        String message = cause.getMessage();
        return message == null || message.isEmpty() ? cause.getClass().getSimpleName() : message;
    }

    /** A request frame and its id, queued for the event loop. */
    private record Outgoing(long id, ByteBuf frame) {
    }

    private static final class PendingCall {
        final CompletableFuture<Response> future = new CompletableFuture<>();
        /** {@link System#nanoTime()} after which the call times out. */
        final long deadlineNanos;

        PendingCall(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** Decodes reply frames and routes them; fails everything when the connection ends. */
    private static final class ReplyHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final ClientConnection c;

        ReplyHandler(ClientConnection connection) {
            this.c = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            Response reply;
            try {
                reply = Response.parseFrom(frame.nioBuffer());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                c.failAll(new ModkvClientException("PROTOCOL", c.address + " sent a frame that is not a modkv Response: "
                        + e.getMessage(), e));
                ctx.close();
                return;
            }
            c.onReply(ctx, reply);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            c.failAll(new ModkvClientException("UNAVAILABLE", "connection to " + c.address
                    + " closed; the request may or may not have been applied"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ModkvClientException failure = cause instanceof TooLongFrameException
                    ? new ModkvClientException("TOO_LARGE", c.address + " sent a reply larger than this client's "
                    + "maxFrameBytes: " + cause.getMessage(), cause)
                    : new ModkvClientException("UNAVAILABLE", "connection to " + c.address + " failed: "
                    + describe(cause), cause);
            c.failAll(failure);
            ctx.close();
        }
    }
}
