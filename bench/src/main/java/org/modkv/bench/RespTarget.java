package org.modkv.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.modkv.client.KeyValue;

/**
 * A target speaking RESP2 over one pipelined connection, so the same load can be pointed at
 * Redis and at modkv's {@code resp} transport. Commands are written in the order requests are
 * made; RESP answers in order, so replies are matched to a FIFO of pending completions.
 *
 * <p>Writes: {@code SET}, bulk: {@code MSET}, reads: {@code GET}, search: {@code SEARCH word}
 * (a modkv command; Redis answers it with an error, which is counted as such).
 */
final class RespTarget implements KeyValueTarget {
    private static final System.Logger LOG = System.getLogger(RespTarget.class.getName());

    private final Address address;
    /** Completions of the requests written and not yet answered, oldest first. Guards itself. */
    private final ArrayDeque<Completion> pending = new ArrayDeque<>();
    /** Set once the connection is gone; every later request fails with it. Guarded by pending. */
    private RuntimeException closedCause;
    private Channel channel;

    private RespTarget(Address address) {
        this.address = address;
    }

    /** @throws BenchException if the server cannot be reached */
    static RespTarget connect(EventLoopGroup group, Address address, Duration connectTimeout) {
        RespTarget target = new RespTarget(address);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(TargetSet.RESP_IO.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(target.new ReplyDecoder());
        ChannelFuture connected = bootstrap.connect(address.host(), address.port()).awaitUninterruptibly();
        if (!connected.isSuccess()) {
            Throwable cause = connected.cause();
            throw new BenchException("cannot connect to " + address + ": "
                    + (cause == null ? "timed out" : cause.getMessage() != null ? cause.getMessage() : cause.toString()), cause);
        }
        target.channel = connected.channel();
        return target;
    }

    @Override
    public void get(byte[] key, Completion done) {
        send(RespCommands.get(channel.alloc(), key), done);
    }

    @Override
    public void put(byte[] key, byte[] value, Completion done) {
        send(RespCommands.set(channel.alloc(), key, value), done);
    }

    @Override
    public void bulkPut(List<KeyValue> entries, Completion done) {
        send(RespCommands.mset(channel.alloc(), entries), done);
    }

    @Override
    public void search(SearchWord word, Completion done) {
        send(RespCommands.search(channel.alloc(), word.utf8()), done);
    }

    private void send(ByteBuf command, Completion done) {
        RuntimeException failure;
        synchronized (pending) {
            failure = closedCause;
            if (failure == null) {
                // Enqueue and write under one lock, so the FIFO order is the wire order.
                pending.addLast(done);
                channel.writeAndFlush(command, channel.voidPromise());
                return;
            }
        }
        command.release();
        done.failed(failure);
    }

    /** Number of requests waiting for their reply. */
    int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    @Override
    public String address() {
        return address.toString();
    }

    @Override
    public void close() {
        failAll(new BenchException("the connection to " + address + " was closed by the benchmark"));
        if (channel != null) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    private void failAll(RuntimeException cause) {
        Completion[] failed;
        synchronized (pending) {
            if (closedCause == null) {
                closedCause = cause;
            }
            failed = pending.toArray(new Completion[0]);
            pending.clear();
        }
        for (Completion done : failed) {
            done.failed(closedCause);
        }
    }

    /** Matches each complete reply to the oldest pending request. One instance per channel. */
    private final class ReplyDecoder extends ByteToMessageDecoder {
        private Throwable failure;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (true) {
                int start = in.readerIndex();
                int end = RespReplyScanner.end(in, start);
                if (end == RespReplyScanner.INCOMPLETE) {
                    return;
                }
                Completion done;
                synchronized (pending) {
                    done = pending.pollFirst();
                }
                if (done == null) {
                    throw new RespProtocolException("a reply arrived for no request");
                }
                byte type = in.getByte(start);
                RuntimeException error = null;
                boolean found = true;
                if (type == '-') {
                    error = new RespErrorReply(in.toString(start + 1, end - start - 3, StandardCharsets.UTF_8));
                } else if (type == '$' || type == '*') {
                    byte first = in.getByte(start + 1);
                    // $-1 / *-1: nil; *0: an empty list (a search with no hits)
                    found = first != '-' && !(type == '*' && first == '0');
                }
                in.readerIndex(end);
                if (error != null) {
                    done.failed(error);
                } else {
                    done.succeeded(found);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            try {
                super.channelInactive(ctx);
            } finally {
                Throwable why = failure;
                failAll(new BenchException("the connection to " + address + " was lost"
                        + (why == null ? "" : ": " + why.getMessage()), why));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause.getCause() instanceof RespProtocolException p ? p : cause;
                LOG.log(System.Logger.Level.WARNING, "closing the RESP connection to " + address + ": " + failure);
            }
            ctx.close();
        }
    }
}
