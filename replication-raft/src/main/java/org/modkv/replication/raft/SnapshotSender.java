package org.modkv.replication.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Path;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.replication.raft.wire.SnapshotChunk;
import org.modkv.replication.raft.wire.SnapshotReply;

/**
 * A leader's side of catching up a follower that needs entries compacted away: it writes the
 * storage checkpoint ({@link SnapshotTransfer}) and sends it chunk by chunk, one chunk in flight,
 * each after the follower accepted the one before. Any failure drops the transfer; the next
 * heartbeat starts a new one. Confined to the Raft scheduler.
 */
final class SnapshotSender {
    private static final System.Logger LOG = System.getLogger(SnapshotSender.class.getName());

    /** What the sender needs from the leading node. */
    interface Leader {
        long term();

        /** Whether this node still leads in {@code term} and {@code peer} is still its progress record. */
        boolean stillLeading(long term, PeerProgress peer);

        /** A follower answered with a newer term. */
        void stepDown(long newerTerm);

        /** {@code peer} installed the snapshot: its match index moved. */
        void caughtUp(PeerProgress peer);
    }

    private final String id;
    private final Path dataDir;
    private final StorageEngine storage;
    private final RaftLog log;
    private final RaftSettings settings;
    private final PeerNetwork network;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Leader leader;

    SnapshotSender(String id, Path dataDir, StorageEngine storage, RaftLog log, RaftSettings settings,
                   PeerNetwork network, Scheduler scheduler, Clock clock, Leader leader) {
        this.id = id;
        this.dataDir = dataDir;
        this.storage = storage;
        this.log = log;
        this.settings = settings;
        this.network = network;
        this.scheduler = scheduler;
        this.clock = clock;
        this.leader = leader;
    }

    /** Sends the next chunk to {@code peer}, first writing a snapshot at {@code appliedIndex} if none is on its way. */
    void send(PeerProgress peer, long appliedIndex) {
        try {
            if (peer.snapshot == null) {
                LOG.log(System.Logger.Level.INFO, "follower " + peer.id + " needs entry " + peer.nextIndex
                        + ", compacted away on " + id + ": sending a snapshot at " + appliedIndex);
                peer.snapshot = SnapshotTransfer.create(dataDir, peer.id, storage, appliedIndex, log.termAt(appliedIndex));
            }
            SnapshotTransfer transfer = peer.snapshot;
            byte[] data = transfer.nextChunk(settings.snapshotChunkBytes());
            boolean done = transfer.lastChunk(data.length);
            long term = leader.term();
            SnapshotChunk chunk = SnapshotChunk.newBuilder().setTerm(term).setLeader(id)
                    .setLastIncludedIndex(transfer.index).setLastIncludedTerm(transfer.term)
                    .setOffset(transfer.offset()).setData(ByteString.copyFrom(data)).setDone(done).build();
            peer.appendInFlight = true;
            network.request(peer.id, RaftChannels.SNAPSHOT, chunk.toByteArray(), settings.electionTimeoutMs())
                    .whenComplete((bytes, error) -> scheduler.execute(() -> {
                        if (!leader.stillLeading(term, peer) || peer.snapshot != transfer) {
                            transfer.close();
                            return;
                        }
                        peer.appendInFlight = false;
                        onReply(peer, transfer, data.length, done, bytes, error, appliedIndex);
                    }));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot send a snapshot to " + peer.id + ": " + e.getMessage(), e);
            abort(peer);
        }
    }

    private void onReply(PeerProgress peer, SnapshotTransfer transfer, int length, boolean done, byte[] bytes,
                         Throwable error, long appliedIndex) {
        if (error != null) {
            abort(peer); // start over at the next heartbeat
            return;
        }
        SnapshotReply reply;
        try {
            reply = SnapshotReply.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            abort(peer);
            return;
        }
        if (reply.getTerm() > leader.term()) {
            abort(peer);
            leader.stepDown(reply.getTerm());
            return;
        }
        peer.lastReplyNanos = clock.nanoTime();
        if (!reply.getSuccess()) {
            abort(peer);
            return;
        }
        transfer.advance(length);
        if (!done) {
            send(peer, appliedIndex);
            return;
        }
        abort(peer);
        peer.matchIndex = Math.max(peer.matchIndex, transfer.index);
        peer.nextIndex = peer.matchIndex + 1;
        leader.caughtUp(peer);
    }

    /** Drops the snapshot on its way to {@code peer}, if any, and its file. */
    static void abort(PeerProgress peer) {
        if (peer.snapshot != null) {
            peer.snapshot.close();
            peer.snapshot = null;
        }
    }
}
