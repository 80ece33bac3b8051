package org.modkv.transport.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.modkv.api.transport.EndOfBurstNotice;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestOperation;

/**
 * One client connection: frames requests, runs them, and writes the replies in request order.
 *
 * <p><b>Pipelining.</b> A client may send many requests before reading any reply. Each request
 * is handed to the kernel at once and its reply future joins a FIFO queue, except that a command
 * that reads keys or the key space (GET, EXISTS, DEL, DBSIZE, index queries) waits for this
 * connection's unfinished writes, so it sees them as it would in Redis; blind writes (SET, MSET)
 * are not held back, since storage applies them in offer order. The kernel completes
 * futures out of order on its own threads; a completion only wakes the event loop
 * ({@code eventLoop.execute}, coalesced), and the event loop writes replies from the head of the
 * queue while the head is done. So replies leave in request order, only the event loop touches
 * the channel, and nothing ever blocks it.
 *
 * <p><b>Bounded buffering.</b> The connection pulls requests out of its input one at a time and
 * stops when either {@code resp.max.pending.requests} replies are outstanding or the channel is
 * not writable (the client is not reading its replies, so they pile up past Netty's high water
 * mark). It then turns {@code autoRead} off, so unread requests stay in the client's and the
 * kernel's socket buffers, not in this process. It resumes when replies drain or the channel
 * becomes writable again. What one connection holds is therefore at most: the requests in
 * flight, one socket read of unparsed input plus a partial request (capped by
 * {@code resp.max.request.bytes}), and the outbound bytes up to the high water mark plus the
 * replies of the requests in flight.
 *
 * <p><b>Closing.</b> After {@code QUIT} or a protocol error no more input is read; the
 * connection closes once every earlier reply and the last one ({@code +OK} or the error) are
 * written.
 *
 * <p><b>Latency.</b> Each request's arrival (the read that completed it) is kept in
 * {@link ReplyTimings} beside its reply; after the flush that writes a reply, the request's
 * latency goes to the node's {@link LatencyRecorder}, without allocating.
 *
 * <p>Confined to the channel's event loop, except {@link #wake()}.
 */
final class RespConnection extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(RespConnection.class.getName());
    /** Replies are gathered into one buffer up to about this size before it is handed to the channel. */
    private static final int WRITE_CHUNK = 16 * 1024;

    private final RequestParser parser;
    private final CommandTable commands;
    private final ClientSession session;
    private final int maxPending;
    private final LatencyRecorder latency;
    private final TrafficCounters traffic;
    private final EndOfBurstNotice burstEnd;
    private final ReplyTimings timings = new ReplyTimings();
    /** When the last read arrived: the arrival time of the requests it completes. */
    private long lastReadNanos;
    private final ArrayDeque<CompletableFuture<RespReply>> pending = new ArrayDeque<>();
    private CompletableFuture<?> unfinishedWrites = CompletableFuture.completedFuture(null);
    /** {@link DeferredCommand}s queued and not run yet. */
    private int deferredWaiting;
    private final AtomicBoolean wakeupScheduled = new AtomicBoolean();
    private final Runnable wakeupTask = () -> {
        wakeupScheduled.set(false);
        process();
    };

    private ChannelHandlerContext ctx;
    private ByteBuf inbound = Unpooled.EMPTY_BUFFER;
    private boolean processing;
    private boolean rerun;
    /** QUIT or a protocol error: read nothing more, close after the last reply. */
    private boolean closing;
    private boolean closeIssued;
    private boolean closed;

    private long requests;
    private int mostPending;
    private long readPauses;
    private long mostQueuedBytes;

    RespConnection(RequestParser parser, CommandTable commands, ClientSession session, int maxPending,
                   LatencyRecorder latency, TrafficCounters traffic, EndOfBurstNotice burstEnd) {
        this.parser = parser;
        this.commands = commands;
        this.session = session;
        this.maxPending = maxPending;
        this.latency = latency;
        this.traffic = traffic;
        this.burstEnd = burstEnd;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseInbound();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf data)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing || closed) {
            data.release();
            return;
        }
        lastReadNanos = System.nanoTime();
        traffic.bytesReceived.add(data.readableBytes());
        inbound = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), inbound, data);
        process();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        process();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        pending.clear();
        timings.clear();
        releaseInbound();
        LOG.log(Level.DEBUG, () -> "RESP client " + session.id() + " disconnected after " + requests + " requests");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.log(Level.DEBUG, () -> "RESP client " + session.id() + ": " + cause);
        } else {
            LOG.log(Level.WARNING, "RESP client " + session.id() + " failed; closing its connection", cause);
        }
        ctx.close();
    }

    /**
     * Called when a reply future completes, on any thread: gets the event loop to write it. Also
     * on the event loop (storage commits there at the end of a pass) it only queues the work, so
     * that socket writes never run inside storage's commit.
     */
    private void wake() {
        EventExecutor loop = ctx.executor();
        if (wakeupScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(wakeupTask);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down with the transport; the connection is closing.
            }
        }
    }

    /** Writes the replies whose turn has come and pulls in requests while the limits allow. */
    private void process() {
        if (processing) {
            rerun = true;
            return;
        }
        processing = true;
        try {
            do {
                rerun = false;
                processOnce();
            } while (rerun && !closed);
        } finally {
            processing = false;
        }
    }

    private void processOnce() {
        if (closed) {
            return;
        }
        Channel channel = ctx.channel();
        ByteBuf out = null;
        boolean wrote = false;
        boolean progress = true;
        while (progress) {
            progress = false;
            // Replies wait while the socket is backed up, and a deferred command runs only once it
            // is first in line: the outbound buffer stays near its high water mark.
            while (!pending.isEmpty() && channel.isWritable()) {
                CompletableFuture<RespReply> head = pending.peekFirst();
                if (head instanceof DeferredCommand deferred && deferred.readyToRun()) {
                    deferredWaiting--;
                    deferred.ran(execute(deferred.command(), deferred.request()));
                }
                if (!head.isDone()) {
                    break;
                }
                RespReply reply = replyOf(pending.pollFirst());
                timings.encoded(reply instanceof RespReply.Error);
                if (out == null) {
                    out = ctx.alloc().ioBuffer();
                }
                reply.encodeTo(out);
                if (out.readableBytes() >= WRITE_CHUNK) {
                    write(out);
                    out = null;
                    wrote = true;
                }
                progress = true;
            }
            if (!closing && pending.size() < maxPending && channel.isWritable() && inbound.isReadable()) {
                RespRequest request;
                try {
                    request = parser.next(inbound);
                } catch (RespProtocolException e) {
                    LOG.log(Level.DEBUG, () -> "RESP client " + session.id() + " sent bad input: " + e.getMessage());
                    closing = true;
                    timings.add(lastReadNanos, RequestOperation.OTHER);
                    pending.addLast(CompletableFuture.completedFuture(RespErrors.protocol(e)));
                    releaseInbound();
                    request = null;
                    progress = true;
                }
                if (request != null) {
                    dispatch(request);
                    progress = true;
                }
            }
        }
        if (out != null) {
            write(out);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
            timings.flushed(System.nanoTime(), latency);
        }
        compactInbound();
        if (closing && pending.isEmpty() && !closeIssued) {
            closeIssued = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        boolean read = !closing && pending.size() < maxPending && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
            if (!read) {
                readPauses++;
            }
        }
    }

    private void dispatch(RespRequest request) {
        requests++;
        traffic.requests.increment();
        ResolvedCommand command = commands.resolve(request);
        timings.add(lastReadNanos, command.operation());
        CompletableFuture<RespReply> reply;
        boolean touchesData = command.writes() || command.observesEarlierWrites();
        if (!unfinishedWrites.isDone() && command.observesEarlierWrites() || deferredWaiting > 0 && touchesData) {
            // A pipelined GET after a SET must see the SET and not a later SET, as in Redis: it
            // runs (on the event loop, like every command) once this connection's earlier writes
            // are done and it is first in line for the socket; every command touching data that
            // comes after it waits its turn too. It needs a wake-up of its own, on the future it
            // checks: the wake-up of the write's own reply can run the event loop before the
            // combined future of earlier writes completes (dependents run one after another on
            // the completing thread), and then nothing would wake the connection again.
            reply = new DeferredCommand(command, request, unfinishedWrites);
            deferredWaiting++;
            unfinishedWrites.whenComplete((ignored, failure) -> wake());
        } else {
            reply = execute(command, request);
        }
        if (command.writes() && !reply.isDone()) {
            unfinishedWrites = unfinishedWrites.isDone() ? reply : CompletableFuture.allOf(unfinishedWrites, reply);
        }
        pending.addLast(reply);
        mostPending = Math.max(mostPending, pending.size());
        if (!reply.isDone()) {
            reply.whenComplete((value, failure) -> wake());
        }
        if (session.quitRequested()) {
            closing = true;
            releaseInbound();
        }
    }

    private CompletableFuture<RespReply> execute(ResolvedCommand command, RespRequest request) {
        if (command.writes()) {
            burstEnd.writeSubmitted();
        }
        return commands.execute(command, request, session);
    }

    private void write(ByteBuf out) {
        traffic.bytesSent.add(out.readableBytes());
        ctx.write(out, ctx.voidPromise());
        ChannelOutboundBuffer outbound = ctx.channel().unsafe().outboundBuffer();
        if (outbound != null) {
            mostQueuedBytes = Math.max(mostQueuedBytes, outbound.totalPendingWriteBytes());
        }
    }

    private static RespReply replyOf(CompletableFuture<RespReply> future) {
        try {
            RespReply reply = future.join();
            return reply != null ? reply : RespReply.error("ERR internal error: no reply");
        } catch (CompletionException | CancellationException e) {
            return RespErrors.fromFailure(e);
        }
    }

    private void compactInbound() {
        if (!inbound.isReadable()) {
            releaseInbound();
        } else {
            inbound.discardSomeReadBytes();
        }
    }

    private void releaseInbound() {
        ByteBuf old = inbound;
        inbound = Unpooled.EMPTY_BUFFER;
        old.release();
    }

    /** This connection's figures. Call on its event loop. */
    ConnectionStats stats() {
        return new ConnectionStats(session.id(), requests, pending.size(), mostPending, readPauses,
                ctx.channel().config().isAutoRead(), mostQueuedBytes);
    }
}
