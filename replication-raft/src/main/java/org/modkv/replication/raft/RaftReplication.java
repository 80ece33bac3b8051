package org.modkv.replication.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.Consistency;
import org.modkv.api.replication.Replication;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.DurableLog;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.replication.raft.wire.AppendRequest;
import org.modkv.replication.raft.wire.TimeoutNow;
import org.modkv.replication.raft.wire.VoteRequest;

/**
 * The {@link Replication} a node's kernel and transports see: thread-safe, never blocking. Every
 * call hops onto the Raft scheduler, where {@link RaftNode} does the work.
 *
 * <p>Consistency: {@link Consistency#ONE} reads this node's storage as it is (a follower may be
 * behind); every other level reads linearizably (a read index confirmed by a majority, then a
 * local read once it is applied here). Writes always go through the leader's log.
 */
final class RaftReplication implements Replication {
    private static final System.Logger LOG = System.getLogger(RaftReplication.class.getName());

    private final RaftNode node;
    private final Scheduler scheduler;
    private final Clock clock;
    private final StorageEngine storage;
    private final DurableLog durableLog;
    private final RaftSettings settings;
    private volatile boolean closed;

    RaftReplication(RaftNode node, Scheduler scheduler, Clock clock, StorageEngine storage, DurableLog durableLog,
                    RaftSettings settings) {
        this.node = node;
        this.scheduler = scheduler;
        this.clock = clock;
        this.storage = storage;
        this.durableLog = durableLog;
        this.settings = settings;
    }

    /** Registers the peer channels and starts the node on its scheduler. */
    void start(PeerNetwork network) {
        network.register(RaftChannels.VOTE, (from, message) -> onScheduler(() ->
                node.onVote(VoteRequest.parseFrom(message)).toByteArray()));
        network.register(RaftChannels.APPEND, (from, message) -> onSchedulerAsync(() ->
                node.onAppend(AppendRequest.parseFrom(message)).thenApply(reply -> reply.toByteArray())));
        network.register(RaftChannels.FORWARD_WRITE, (from, message) ->
                onSchedulerAsync(() -> node.onForwardedWrite(from, message)));
        network.register(RaftChannels.READ_INDEX, (from, message) ->
                onSchedulerAsync(() -> node.onReadIndex(from, message)));
        network.register(RaftChannels.SNAPSHOT, (from, message) ->
                onSchedulerAsync(() -> node.onSnapshotChunk(from, message)));
        network.register(RaftChannels.TIMEOUT_NOW, (from, message) -> onScheduler(() -> {
            node.onTimeoutNow(TimeoutNow.parseFrom(message));
            return new byte[0];
        }));
        scheduler.execute(node::start);
    }

    @Override
    public CompletableFuture<Long> write(WriteBatch batch, Consistency consistency) {
        if (closed) {
            return shuttingDown();
        }
        WriteBatch copy = batch.copy();
        long deadline = deadline();
        CompletableFuture<Long> result = new CompletableFuture<>();
        scheduler.execute(() -> node.write(copy, result, deadline));
        return result;
    }

    @Override
    public boolean decidesConditions() {
        return true;
    }

    /** Proposed like any write; decided by every node when it applies the entry, in log order. */
    @Override
    public CompletableFuture<WriteOutcome> writeIf(ConditionalWrite write, Consistency consistency) {
        if (closed) {
            return shuttingDown();
        }
        ConditionalWrite copy = new ConditionalWrite(write.conditions(), write.batch().copy());
        long deadline = deadline();
        CompletableFuture<WriteOutcome> result = new CompletableFuture<>();
        scheduler.execute(() -> node.write(copy, result, deadline));
        return result;
    }

    @Override
    public CompletableFuture<Optional<StoredRecord>> read(byte[] key, Consistency consistency) {
        if (closed) {
            return shuttingDown();
        }
        if (consistency == Consistency.ONE) {
            return readLocal(key);
        }
        byte[] copy = key.clone();
        return readBarrier().thenCompose(sequence -> readLocal(copy));
    }

    /**
     * A read-index round (through the leader when this node follows), then a wait until this
     * node has applied the read index; completes with the local storage sequence applied then.
     */
    @Override
    public CompletableFuture<Long> readBarrier() {
        if (closed) {
            return shuttingDown();
        }
        long deadline = deadline();
        CompletableFuture<Long> readIndex = new CompletableFuture<>();
        CompletableFuture<Long> applied = new CompletableFuture<>();
        scheduler.execute(() -> node.readIndex(readIndex, deadline));
        readIndex.whenComplete((index, error) -> {
            if (error != null) {
                applied.completeExceptionally(error);
            } else {
                scheduler.execute(() -> node.whenApplied(index, deadline, applied, applied::complete));
            }
        });
        return applied;
    }

    private CompletableFuture<Optional<StoredRecord>> readLocal(byte[] key) {
        try {
            return CompletableFuture.completedFuture(storage.get(key));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(ModkvException.fromStorage(e));
        }
    }

    /** What the node published last: at every role change and every heartbeat interval. */
    @Override
    public ReplicationStatus status() {
        return node.publishedStatus();
    }

    /** Stops the node on its scheduler (waiting up to the request timeout), then closes the log. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CountDownLatch stopped = new CountDownLatch(1);
        scheduler.execute(() -> {
            try {
                node.stop();
            } finally {
                stopped.countDown();
            }
        });
        try {
            if (!stopped.await(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "Raft did not stop within " + settings.requestTimeoutMs() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            durableLog.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "failed to close the Raft log cleanly", e);
        }
    }

    /** The state machine, for tests that drive it in a simulation. */
    RaftNode node() {
        return node;
    }

    private long deadline() {
        return clock.nanoTime() + settings.requestTimeoutMs() * 1_000_000L;
    }

    private static <T> CompletableFuture<T> shuttingDown() {
        return CompletableFuture.failedFuture(new ModkvException(ErrorCode.SHUTTING_DOWN, "node is shutting down"));
    }

    /** A message handler's work, parsed and run on the scheduler. */
    @FunctionalInterface
    private interface PeerWork<T> {
        T run() throws InvalidProtocolBufferException;
    }

    private CompletableFuture<byte[]> onScheduler(PeerWork<byte[]> work) {
        return onSchedulerAsync(() -> CompletableFuture.completedFuture(work.run()));
    }

    private CompletableFuture<byte[]> onSchedulerAsync(PeerWork<CompletableFuture<byte[]>> work) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (closed) {
            reply.completeExceptionally(new ModkvException(ErrorCode.SHUTTING_DOWN, "node is shutting down"));
            return reply;
        }
        scheduler.execute(() -> {
            try {
                work.run().whenComplete((bytes, error) -> {
                    if (error != null) {
                        reply.completeExceptionally(error);
                    } else {
                        reply.complete(bytes);
                    }
                });
            } catch (InvalidProtocolBufferException e) {
                reply.completeExceptionally(new ModkvException(ErrorCode.INVALID_REQUEST,
                        "malformed Raft message: " + e.getMessage()));
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
                throw e;
            }
        });
        return reply;
    }

}
