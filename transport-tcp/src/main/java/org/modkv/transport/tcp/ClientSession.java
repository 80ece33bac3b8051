package org.modkv.transport.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.modkv.api.transport.EndOfBurstNotice;
import org.modkv.api.transport.RequestLimits;
import org.modkv.api.transport.RequestOperation;
import org.modkv.protocol.FrameFormat;
import org.modkv.protocol.ProtocolVersion;
import org.modkv.protocol.wire.ErrorCode;
import org.modkv.protocol.wire.HelloOk;
import org.modkv.protocol.wire.Limits;
import org.modkv.protocol.wire.Request;
import org.modkv.protocol.wire.Response;

/**
 * One client connection after framing: the handshake, then pipelined requests.
 *
 * <p>State lives on the channel's event loop, so it needs no locks; only the queue of completed
 * replies is shared with the threads that complete requests. A request is handed to the
 * {@link RequestDispatcher}; its completion queues the reply and wakes the event loop, which
 * writes every queued reply with one flush. Replies therefore leave in completion order, each
 * carrying its request's id.
 *
 * <p>Back-pressure: the connection stops reading ({@code autoRead} off) while the socket is not
 * writable (the client does not read its replies) or while {@code tcp.max.inflight} requests
 * are in progress, and reads again when both clear. So one connection buffers at most one
 * read's worth of requests beyond the limit, and the kernel's own limits push back through it.
 */
final class ClientSession extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());

    private final TcpServerState server;
    /** Replies whose requests completed, waiting for the event loop to write them. */
    private final Queue<Completed> completed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    /** The replies of the current write, kept until the flush; event loop only. */
    private final List<Completed> writing = new ArrayList<>();
    /** This connection's event loop's pass-end notice; event loop only. */
    private EndOfBurstNotice burstEnd;
    private boolean greeted;
    private boolean closing;
    private int inFlight;

    /** A request's reply, ready to write. */
    private record Completed(RequestOperation operation, long receivedNanos, Response reply) {
    }

    ClientSession(TcpServerState server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Request request = (Request) msg;
        if (closing) {
            return;
        }
        long receivedNanos = System.nanoTime();
        server.counters().requests.increment();
        Channel channel = ctx.channel();
        switch (request.getBodyCase()) {
            case HELLO -> greet(channel, request);
            case BODY_NOT_SET -> {
                if (!greeted) {
                    refuseBeforeHello(channel, request);
                    return;
                }
                server.counters().errorReplies.increment();
                channel.writeAndFlush(Replies.frame(Replies.error(request.getId(), ErrorCode.INVALID_REQUEST,
                        "request " + request.getId() + " has no body; set one of get, get_many, put, delete, bulk, "
                                + "query, stats, ping")));
            }
            default -> {
                if (!greeted) {
                    refuseBeforeHello(channel, request);
                    return;
                }
                serve(channel, request, receivedNanos);
            }
        }
    }

    private void greet(Channel channel, Request request) {
        int version = request.getHello().getProtocolVersion();
        if (!ProtocolVersion.isSupported(version)) {
            closeWith(channel, Replies.error(request.getId(), ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
                    ProtocolVersion.unsupportedMessage(version)));
            return;
        }
        greeted = true;
        HelloOk.Builder ok = HelloOk.newBuilder().setProtocolVersion(ProtocolVersion.CURRENT)
                .setNodeId(server.nodeId()).setMaxFrameBytes(server.settings().maxFrameBytes());
        try {
            RequestLimits limits = server.handler().limits();
            ok.setLimits(Limits.newBuilder().setMaxKeyBytes(limits.maxKeyBytes()).setMaxValueBytes(limits.maxValueBytes())
                    .setMaxBatchBytes(limits.maxBatchBytes()).setMaxBatchEntries(limits.maxBatchEntries()));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "limits not available for the handshake", e);
        }
        channel.writeAndFlush(Replies.frame(Response.newBuilder().setId(request.getId()).setHelloOk(ok).build()));
    }

    private void refuseBeforeHello(Channel channel, Request request) {
        closeWith(channel, Replies.error(request.getId(), ErrorCode.INVALID_REQUEST,
                "the first request on a connection must be Hello{protocol_version=" + ProtocolVersion.CURRENT
                        + "}; got " + RequestDispatcher.describe(request)));
    }

    private void closeWith(Channel channel, Response error) {
        closing = true;
        server.counters().errorReplies.increment();
        LOG.log(Level.DEBUG, () -> "closing " + channel.remoteAddress() + ": " + error.getError().getMessage());
        ClosingReply.send(channel, error);
    }

    private void serve(Channel channel, Request request, long receivedNanos) {
        inFlight++;
        updateReading(channel);
        RequestOperation operation = operation(request);
        CompletableFuture<Response> reply = server.dispatcher().dispatch(request);
        if (operation == RequestOperation.PUT || operation == RequestOperation.DELETE
                || operation == RequestOperation.BATCH) {
            burstEnd(channel).writeSubmitted();
        }
        boolean answeredAtOnce = reply.isDone();
        reply.whenComplete((response, bug) -> {
            // dispatch() turns every failure into an Error response; bug is a safety net.
            Response answer = bug == null ? response : Replies.failure(request.getId(), bug, RequestDispatcher.describe(request));
            completed.add(new Completed(operation, receivedNanos, answer));
            if (answeredAtOnce && channel.eventLoop().inEventLoop()) {
                writeCompleted(channel);
            } else if (writeScheduled.compareAndSet(false, true)) {
                // Also on the event loop when storage completes the write there (at the end of a
                // pass): only queue, so that socket writes never run inside storage's commit.
                channel.eventLoop().execute(() -> {
                    writeScheduled.set(false);
                    writeCompleted(channel);
                });
            }
        });
    }

    private EndOfBurstNotice burstEnd(Channel channel) {
        EndOfBurstNotice end = burstEnd;
        if (end == null) {
            end = server.burstEnd(channel.eventLoop());
            burstEnd = end;
        }
        return end;
    }

    /**
     * On the event loop: encodes every completed reply, writes them with one flush, then records
     * their latency and frees their in-flight slots. Completions arrive on storage's thread; they
     * only queue the reply and wake the event loop (once per burst), so that thread never
     * encodes and each connection gets one write system call per burst, not one per reply.
     */
    private void writeCompleted(Channel channel) {
        int written = 0;
        Completed next;
        while ((next = completed.poll()) != null) {
            if (next.reply.hasError()) {
                server.counters().errorReplies.increment();
            }
            channel.write(Replies.frame(next.reply), channel.voidPromise());
            writing.add(next);
            written++;
        }
        if (written == 0) {
            return;
        }
        channel.flush();
        long now = System.nanoTime();
        for (int i = 0; i < writing.size(); i++) {
            Completed done = writing.get(i);
            server.latency().record(done.operation, done.receivedNanos, now, done.reply.hasError());
        }
        writing.clear();
        inFlight -= written;
        updateReading(channel);
    }

    /** What {@code request} counts as in the node's per-operation latency histograms. */
    static RequestOperation operation(Request request) {
        return switch (request.getBodyCase()) {
            case GET, GET_MANY -> RequestOperation.GET;
            case PUT -> RequestOperation.PUT;
            case DELETE -> RequestOperation.DELETE;
            case BULK -> RequestOperation.BATCH;
            case QUERY -> RequestOperation.QUERY;
            default -> RequestOperation.OTHER;
        };
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    private void updateReading(Channel channel) {
        if (closing) {
            return; // ClosingReply reads (and discards) until the client is gone
        }
        boolean read = channel.isWritable() && inFlight < server.settings().maxInFlight();
        if (channel.config().isAutoRead() != read) {
            if (!read) {
                server.counters().readPauses.increment();
            }
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && inFlight == 0 && !closing) {
            LOG.log(Level.DEBUG, () -> "closing idle connection " + ctx.channel().remoteAddress());
            closeWith(ctx.channel(), Replies.error(FrameFormat.CONNECTION_ID, ErrorCode.UNAVAILABLE,
                    "connection idle for " + server.settings().idleTimeoutMs() + " ms (tcp.idle.timeout.ms); closing"));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.log(Level.DEBUG, () -> "connection " + ctx.channel().remoteAddress() + " failed: " + cause);
        } else {
            LOG.log(Level.WARNING, "closing connection " + ctx.channel().remoteAddress() + " after an error", cause);
        }
        ctx.close();
    }
}
