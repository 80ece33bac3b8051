package org.modkv.replication.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.NotLeaderException;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.time.Cancellable;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.api.transport.PeerNetwork;
import org.modkv.api.transport.PeerUnreachableException;
import org.modkv.replication.raft.wire.AppendReply;
import org.modkv.replication.raft.wire.AppendRequest;
import org.modkv.replication.raft.wire.Entry;
import org.modkv.replication.raft.wire.ForwardedWrite;
import org.modkv.replication.raft.wire.ForwardedWriteReply;
import org.modkv.replication.raft.wire.ReadIndexReply;
import org.modkv.replication.raft.wire.SnapshotChunk;
import org.modkv.replication.raft.wire.SnapshotReply;
import org.modkv.replication.raft.wire.TimeoutNow;
import org.modkv.replication.raft.wire.VoteReply;
import org.modkv.replication.raft.wire.VoteRequest;

/**
 * One node's Raft state machine: elections (with pre-vote), log replication, commitment by
 * majority, applying committed entries to the storage engine, linearizable read indexes and
 * forwarding of a follower's requests to the leader.
 *
 * <p>Threading: every method runs on the plugin's {@link Scheduler}, whose tasks run one at a
 * time, so the state needs no locks. Messages and storage completions arriving on other threads
 * hop onto it. Nothing here reads the wall clock, sleeps or starts a thread: a simulation drives
 * it through the {@link Clock}, the scheduler and the {@link PeerNetwork}.
 *
 * <p>Applying: committed entries are written to storage with {@link Durability#DURABLE}, so
 * everything applied is durable in storage and the log can be compacted up to the applied index
 * by recording that index (no copy of the data). After a crash, entries after the last
 * recorded index are applied again once committed; applying a prefix of the log again is
 * harmless, since every entry sets keys to values.
 */
final class RaftNode {
    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());

    enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }

    private final String id;
    private final List<String> peers;
    private final RaftSettings settings;
    private final PeerNetwork network;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Random random;
    private final StorageEngine storage;
    private final CommitListener commits;
    private final RaftState state;
    private final RaftLog log;
    private final SnapshotReceiver snapshots;
    private final SnapshotSender snapshotSender;

    private Role role = Role.FOLLOWER;
    private String leaderId;
    private long commitIndex;
    private final Applier applier;

    private long electionDeadlineNanos;
    private long lastLeaderContactNanos = Long.MIN_VALUE / 2;
    /** The newest append to the log: appends complete in order, so it completes after all others. */
    private CompletableFuture<Long> lastAppendFuture = CompletableFuture.completedFuture(0L);
    private Cancellable electionTimer;
    private Cancellable heartbeatTimer;
    private Cancellable tickTimer;
    /** Deadlines of waiting client requests, swept by one periodic tick instead of a timer each. */
    private final Deadlines deadlines = new Deadlines();
    private long electionRound;
    private int votesGranted;
    private long leaderSinceNanos;

    private final Map<String, PeerProgress> progress = new LinkedHashMap<>();
    private final TreeMap<Long, CompletableFuture<Committed>> proposals = new TreeMap<>();
    private long termStartIndex;

    private final ReadRounds reads = new ReadRounds();

    private boolean stopped;
    private Throwable failure;
    /** {@link #status()} as of the last role change or tick, for readers on other threads. */
    private volatile ReplicationStatus published;

    RaftNode(String id, List<String> peers, RaftSettings settings, PeerNetwork network, Scheduler scheduler,
             Clock clock, StorageEngine storage, CommitListener commits, RaftState state, RaftLog log,
             java.nio.file.Path dataDir) {
        this.id = id;
        this.peers = List.copyOf(peers);
        this.settings = settings;
        this.network = network;
        this.scheduler = scheduler;
        this.clock = clock;
        this.random = new Random(id.hashCode() * 31L + clock.nanoTime());
        this.storage = storage;
        this.commits = commits;
        this.state = state;
        this.log = log;
        this.snapshots = new SnapshotReceiver(dataDir);
        this.snapshotSender = new SnapshotSender(id, dataDir, storage, log, settings, network, scheduler, clock,
                new LeaderForSnapshots());
        this.commitIndex = log.snapshotIndex();
        this.applier = new Applier(log, storage, commits, scheduler, this::fail, this::onApplied);
        this.published = status();
    }

    // ---------------------------------------------------------------- life cycle

    /** Starts as a follower (or, alone in its cluster, as leader at once). */
    void start() {
        scheduleTick();
        electionDeadlineNanos = clock.nanoTime() + randomElectionTimeoutNanos();
        if (peers.isEmpty()) {
            startElection();
        } else {
            scheduleElectionCheck(electionDeadlineNanos - clock.nanoTime());
        }
    }

    /**
     * Stops: fails what is waiting, and records how far storage holds the log so that a clean
     * restart replays nothing.
     */
    void stop() {
        if (stopped) {
            return;
        }
        transferLeadership();
        stopped = true;
        role = Role.FOLLOWER;
        leaderId = null;
        publishStatus();
        cancel(electionTimer);
        cancel(heartbeatTimer);
        cancel(tickTimer);
        ModkvException shuttingDown = new ModkvException(ErrorCode.SHUTTING_DOWN, "node is shutting down");
        failEverythingWaiting(shuttingDown);
        progress.values().forEach(SnapshotSender::abort);
        try {
            snapshots.abort();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove a partly received snapshot: " + e.getMessage());
        }
        if (failure == null) {
            compact(applier.appliedIndex());
        }
    }

    /**
     * A leader that stops cleanly hands over: it tells the follower with the most of its log
     * to start an election now. Best effort; if the message is lost, the followers elect a
     * leader after their election timeout as usual.
     */
    private void transferLeadership() {
        if (role != Role.LEADER || failure != null || progress.isEmpty()) {
            return;
        }
        PeerProgress best = null;
        for (PeerProgress peer : progress.values()) {
            if (best == null || peer.matchIndex > best.matchIndex) {
                best = peer;
            }
        }
        LOG.log(System.Logger.Level.INFO, "node " + id + " stops leading: hands over to " + best.id
                + " (match index " + best.matchIndex + " of " + log.lastIndex() + ")");
        network.send(best.id, RaftChannels.TIMEOUT_NOW,
                TimeoutNow.newBuilder().setTerm(state.term()).setLeader(id).build().toByteArray());
    }

    /** {@link RaftChannels#TIMEOUT_NOW}: the leader is stopping and asks this node to take over. */
    void onTimeoutNow(TimeoutNow request) {
        if (stopped || request.getTerm() != state.term() || role == Role.LEADER
                || !request.getLeader().equals(leaderId)) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "node " + id + " takes over from " + request.getLeader() + " (term "
                + state.term() + ")");
        startElection();
    }

    // ---------------------------------------------------------------- client requests

    /** A client's write: proposed here when leading, otherwise forwarded to the leader. */
    void write(WriteBatch batch, CompletableFuture<Long> result, long deadlineNanos) {
        CompletableFuture<WriteOutcome> outcome = new CompletableFuture<>();
        outcome.whenComplete((decided, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(decided.sequence());
            }
        });
        write(ConditionalWrite.unconditional(batch), outcome, deadlineNanos);
    }

    /**
     * A client's write, conditional or not: proposed here when leading, otherwise forwarded to the
     * leader; decided when applied, in log order.
     */
    void write(ConditionalWrite write, CompletableFuture<WriteOutcome> result, long deadlineNanos) {
        if (refuseWhenStopped(result)) {
            return;
        }
        if (role == Role.LEADER) {
            propose(write).whenComplete((committed, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(outcome(committed.applied(), committed.index(), committed.sequence()));
                }
            });
            return;
        }
        if (leaderId == null) {
            retryWhenLeaderKnown(result, deadlineNanos, "write", () -> write(write, result, deadlineNanos));
            return;
        }
        String leader = leaderId;
        ForwardedWrite.Builder forwarded = ForwardedWrite.newBuilder();
        if (write.conditions().isEmpty()) {
            WriteBatch batch = write.batch();
            forwarded.setBatch(ByteString.copyFrom(batch.encodedBuffer(), 0, batch.encodedLength()));
        } else {
            forwarded.setConditional(ByteString.copyFrom(write.encode()));
        }
        byte[] message = forwarded.build().toByteArray();
        network.request(leader, RaftChannels.FORWARD_WRITE, message, remainingMillis(deadlineNanos))
                .whenComplete((reply, error) -> scheduler.execute(() -> {
                    if (error != null) {
                        Throwable cause = unwrap(error);
                        if ((cause instanceof NotLeaderException || cause instanceof PeerUnreachableException)
                                && clock.nanoTime() < deadlineNanos) {
                            // The node we took for leader has not proposed it (it says so, or the
                            // request never left): safe to send again, once a leader is known.
                            forgetLeader(leader);
                            retryWhenLeaderKnown(result, deadlineNanos, "write", () -> write(write, result, deadlineNanos));
                        } else {
                            result.completeExceptionally(cause);
                        }
                        return;
                    }
                    ForwardedWriteReply decided;
                    try {
                        decided = ForwardedWriteReply.parseFrom(reply);
                    } catch (InvalidProtocolBufferException e) {
                        result.completeExceptionally(new ModkvException(ErrorCode.INTERNAL,
                                "leader " + leader + " sent a malformed write reply: " + e.getMessage()));
                        return;
                    }
                    long index = decided.getIndex();
                    // Answer once this node has applied the write too, so that the client then reads it here.
                    whenApplied(index, deadlineNanos, result,
                            sequence -> result.complete(outcome(decided.getApplied(), index, sequence)));
                }));
    }

    private static WriteOutcome outcome(boolean applied, long index, long sequence) {
        return applied ? new WriteOutcome(true, index, sequence) : WriteOutcome.NOT_APPLIED;
    }

    /**
     * A linearizable read: completes with an index such that reading local storage once it is
     * applied here sees every write acknowledged before the read began.
     */
    void readIndex(CompletableFuture<Long> result, long deadlineNanos) {
        if (refuseWhenStopped(result)) {
            return;
        }
        if (role == Role.LEADER) {
            leaderReadIndex(result);
            return;
        }
        if (leaderId == null) {
            retryWhenLeaderKnown(result, deadlineNanos, "read", () -> readIndex(result, deadlineNanos));
            return;
        }
        String leader = leaderId;
        network.request(leader, RaftChannels.READ_INDEX, new byte[0], remainingMillis(deadlineNanos))
                .whenComplete((reply, error) -> scheduler.execute(() -> {
                    if (error != null) {
                        Throwable cause = unwrap(error);
                        boolean unavailable = cause instanceof ModkvException e && e.code() == ErrorCode.UNAVAILABLE;
                        if ((cause instanceof NotLeaderException || unavailable) && clock.nanoTime() < deadlineNanos) {
                            // Asking for a read index changes nothing: always safe to ask again.
                            forgetLeader(leader);
                            retryWhenLeaderKnown(result, deadlineNanos, "read", () -> readIndex(result, deadlineNanos));
                        } else {
                            result.completeExceptionally(cause);
                        }
                        return;
                    }
                    try {
                        result.complete(ReadIndexReply.parseFrom(reply).getReadIndex());
                    } catch (InvalidProtocolBufferException e) {
                        result.completeExceptionally(new ModkvException(ErrorCode.INTERNAL,
                                "leader " + leader + " sent a malformed read-index reply: " + e.getMessage()));
                    }
                }));
    }

    /** Runs {@code then} with the applied sequence once entries up to {@code index} are applied here. */
    void whenApplied(long index, long deadlineNanos, CompletableFuture<?> result, LongConsumer then) {
        if (applier.appliedIndex() >= index) {
            then.accept(applier.appliedSequence());
            return;
        }
        applier.whenApplied(index, then);
        deadlines.add(result, deadlineNanos, () -> new ModkvException(ErrorCode.UNAVAILABLE, "node " + id
                + " had not applied entry " + index + " within " + settings.requestTimeoutMs() + " ms (applied "
                + applier.appliedIndex() + ")"));
    }

    /**
     * Stops forwarding to {@code leader} until a message names a leader again: it says it is not
     * leading, or cannot be reached. A live leader's next heartbeat restores it.
     */
    private void forgetLeader(String leader) {
        if (leader.equals(leaderId) && role != Role.LEADER) {
            leaderId = null;
        }
    }

    private void retryWhenLeaderKnown(CompletableFuture<?> result, long deadlineNanos, String what, Runnable retry) {
        if (clock.nanoTime() >= deadlineNanos) {
            result.completeExceptionally(new ModkvException(ErrorCode.UNAVAILABLE, "no Raft leader to serve the " + what
                    + " within " + settings.requestTimeoutMs() + " ms (node " + id + " is " + role.name().toLowerCase()
                    + " in term " + state.term() + "); a majority of the cluster may be down"));
            return;
        }
        scheduler.schedule(Math.min(settings.heartbeatIntervalMs(), Math.max(1, remainingMillis(deadlineNanos))),
                TimeUnit.MILLISECONDS, retry);
    }

    private CompletableFuture<Committed> propose(ConditionalWrite write) {
        CompletableFuture<Committed> committed = new CompletableFuture<>();
        long index;
        try {
            index = appendLocal(write.conditions().isEmpty() ? LogEntry.batch(state.term(), write.batch())
                    : LogEntry.conditional(state.term(), clock.currentTimeMillis(), write));
        } catch (RuntimeException e) {
            committed.completeExceptionally(e);
            return committed;
        }
        proposals.put(index, committed);
        replicateToAll();
        long term = state.term();
        deadlines.add(committed, clock.nanoTime() + settings.requestTimeoutMs() * 1_000_000L, () -> new ModkvException(
                ErrorCode.UNAVAILABLE, "write (entry " + index + ", term " + term + ") was not committed within "
                + settings.requestTimeoutMs() + " ms: a majority of the cluster may be down. It may still be applied later."));
        return committed;
    }

    private long appendLocal(byte[] entry) {
        int epoch = log.epoch();
        long index = log.lastIndex() + 1;
        lastAppendFuture = log.append(entry);
        lastAppendFuture.whenComplete((durable, error) -> scheduler.execute(() -> {
            if (error != null) {
                fail(error);
                return;
            }
            log.markDurable(durable, epoch);
            if (role == Role.LEADER) {
                advanceCommit();
            }
        }));
        return index;
    }

    // ---------------------------------------------------------------- handlers of peer messages

    /** {@link RaftChannels#FORWARD_WRITE}: a follower's client write. */
    CompletableFuture<byte[]> onForwardedWrite(String from, byte[] message) {
        if (stopped) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.SHUTTING_DOWN, "node " + id + " is shutting down"));
        }
        if (role != Role.LEADER) {
            return CompletableFuture.failedFuture(notLeader());
        }
        ConditionalWrite write;
        try {
            ForwardedWrite forwarded = ForwardedWrite.parseFrom(message);
            if (!forwarded.getConditional().isEmpty()) {
                byte[] encoded = forwarded.getConditional().toByteArray();
                write = ConditionalWrite.decode(encoded, 0, encoded.length);
            } else {
                byte[] encoded = forwarded.getBatch().toByteArray();
                write = ConditionalWrite.unconditional(WriteBatch.decode(encoded, 0, encoded.length));
            }
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.INVALID_REQUEST,
                    "malformed forwarded write from " + from + ": " + e.getMessage()));
        }
        return propose(write).thenApply(committed -> ForwardedWriteReply.newBuilder().setIndex(committed.index())
                .setApplied(committed.applied()).build().toByteArray());
    }

    /** {@link RaftChannels#READ_INDEX}: a follower's linearizable read. */
    CompletableFuture<byte[]> onReadIndex(String from, byte[] message) {
        if (role != Role.LEADER || stopped) {
            return CompletableFuture.failedFuture(notLeader());
        }
        CompletableFuture<Long> index = new CompletableFuture<>();
        leaderReadIndex(index);
        return index.thenApply(readIndex -> ReadIndexReply.newBuilder().setReadIndex(readIndex).build().toByteArray());
    }

    /** {@link RaftChannels#VOTE}: RequestVote and its pre-vote probe. */
    VoteReply onVote(VoteRequest request) {
        boolean logUpToDate = request.getLastLogTerm() > log.lastTerm()
                || (request.getLastLogTerm() == log.lastTerm() && request.getLastLogIndex() >= log.lastIndex());
        if (request.getPreVote()) {
            boolean leaderAlive = role == Role.LEADER
                    || (leaderId != null && clock.nanoTime() - lastLeaderContactNanos < settings.electionTimeoutMs() * 1_000_000L);
            boolean grant = !stopped && request.getTerm() > state.term() && logUpToDate && !leaderAlive;
            return VoteReply.newBuilder().setTerm(state.term()).setGranted(grant).build();
        }
        if (request.getTerm() > state.term()) {
            becomeFollower(request.getTerm(), null);
        }
        boolean grant = !stopped && request.getTerm() == state.term() && logUpToDate
                && (state.votedFor().isEmpty() || state.votedFor().get().equals(request.getCandidate()));
        if (grant) {
            if (state.votedFor().isEmpty()) {
                state.saveTermAndVote(state.term(), request.getCandidate());
            }
            electionDeadlineNanos = clock.nanoTime() + randomElectionTimeoutNanos();
        }
        return VoteReply.newBuilder().setTerm(state.term()).setGranted(grant).build();
    }

    /** {@link RaftChannels#APPEND}: AppendEntries; the reply is sent once new entries are durable. */
    CompletableFuture<AppendReply> onAppend(AppendRequest request) {
        long term = state.term();
        AppendReply.Builder reply = AppendReply.newBuilder().setRound(request.getRound());
        if (request.getTerm() < term || stopped) {
            return CompletableFuture.completedFuture(reply.setTerm(term).setSuccess(false).build());
        }
        if (request.getTerm() > term || role != Role.FOLLOWER) {
            becomeFollower(request.getTerm(), request.getLeader());
        }
        leaderId = request.getLeader();
        lastLeaderContactNanos = clock.nanoTime();
        electionDeadlineNanos = lastLeaderContactNanos + randomElectionTimeoutNanos();
        reply.setTerm(state.term());

        long prev = request.getPrevLogIndex();
        if (prev > log.lastIndex()) {
            return CompletableFuture.completedFuture(reply.setSuccess(false).setConflictIndex(log.lastIndex() + 1).build());
        }
        if (prev >= log.snapshotIndex() && log.termAt(prev) != request.getPrevLogTerm()) {
            return CompletableFuture.completedFuture(reply.setSuccess(false)
                    .setConflictIndex(Math.max(log.snapshotIndex() + 1, log.firstIndexOfTerm(prev))).build());
        }
        long index = prev;
        try {
            for (Entry entry : request.getEntriesList()) {
                index++;
                if (index <= log.snapshotIndex()) {
                    continue; // already in storage
                }
                if (index <= log.lastIndex()) {
                    if (log.termAt(index) == entry.getTerm()) {
                        continue;
                    }
                    if (index <= commitIndex) {
                        throw new IllegalStateException("leader " + request.getLeader() + " (term " + request.getTerm()
                                + ") conflicts with committed entry " + index + " on " + id);
                    }
                    log.truncateFrom(index);
                }
                int epoch = log.epoch();
                lastAppendFuture = log.append(entry.getData().toByteArray());
                lastAppendFuture.whenComplete((durable, error) -> scheduler.execute(() -> {
                    if (error != null) {
                        fail(error);
                    } else {
                        log.markDurable(durable, epoch);
                    }
                }));
            }
        } catch (IOException e) {
            fail(e);
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.STORAGE_FAILURE, e.getMessage()));
        }
        long lastNew = index;
        long newCommit = Math.min(request.getLeaderCommit(), lastNew);
        if (newCommit > commitIndex) {
            commitIndex = newCommit;
            applyCommitted();
        }
        reply.setSuccess(true).setMatchIndex(lastNew);
        if (lastNew <= log.durableIndex()) {
            return CompletableFuture.completedFuture(reply.build());
        }
        // Success promises the entries are durable here: wait for the newest append, which
        // completes after every earlier one (those of this message and any still pending).
        return lastAppendFuture.thenApply(durable -> reply.build());
    }

    // ---------------------------------------------------------------- elections

    private void scheduleElectionCheck(long delayNanos) {
        cancel(electionTimer);
        electionTimer = scheduler.schedule(Math.max(1, delayNanos), TimeUnit.NANOSECONDS, this::onElectionTimer);
    }

    private void onElectionTimer() {
        if (stopped || role == Role.LEADER) {
            return;
        }
        long now = clock.nanoTime();
        if (now < electionDeadlineNanos) {
            scheduleElectionCheck(electionDeadlineNanos - now);
            return;
        }
        startPreVote();
    }

    private void startPreVote() {
        role = Role.PRE_CANDIDATE;
        leaderId = null;
        publishStatus();
        long round = ++electionRound;
        votesGranted = 1;
        electionDeadlineNanos = clock.nanoTime() + randomElectionTimeoutNanos();
        scheduleElectionCheck(electionDeadlineNanos - clock.nanoTime());
        VoteRequest request = VoteRequest.newBuilder().setTerm(state.term() + 1).setCandidate(id)
                .setLastLogIndex(log.lastIndex()).setLastLogTerm(log.lastTerm()).setPreVote(true).build();
        for (String peer : peers) {
            requestVote(peer, request, round, true);
        }
    }

    private void startElection() {
        role = Role.CANDIDATE;
        leaderId = null;
        state.saveTermAndVote(state.term() + 1, id);
        publishStatus();
        long round = ++electionRound;
        votesGranted = 1;
        if (isMajority(votesGranted)) {
            becomeLeader();
            return;
        }
        electionDeadlineNanos = clock.nanoTime() + randomElectionTimeoutNanos();
        scheduleElectionCheck(electionDeadlineNanos - clock.nanoTime());
        VoteRequest request = VoteRequest.newBuilder().setTerm(state.term()).setCandidate(id)
                .setLastLogIndex(log.lastIndex()).setLastLogTerm(log.lastTerm()).setPreVote(false).build();
        for (String peer : peers) {
            requestVote(peer, request, round, false);
        }
    }

    private void requestVote(String peer, VoteRequest request, long round, boolean preVote) {
        network.request(peer, RaftChannels.VOTE, request.toByteArray(), settings.electionTimeoutMs())
                .whenComplete((bytes, error) -> {
                    if (error != null) {
                        return; // no vote; the election times out or wins without it
                    }
                    scheduler.execute(() -> {
                        try {
                            onVoteReply(VoteReply.parseFrom(bytes), round, preVote);
                        } catch (InvalidProtocolBufferException e) {
                            LOG.log(System.Logger.Level.WARNING, "malformed vote reply from " + peer + ": " + e.getMessage());
                        }
                    });
                });
    }

    private void onVoteReply(VoteReply reply, long round, boolean preVote) {
        if (stopped || round != electionRound) {
            return;
        }
        if (reply.getTerm() > state.term()) {
            becomeFollower(reply.getTerm(), null);
            return;
        }
        if (!reply.getGranted() || role != (preVote ? Role.PRE_CANDIDATE : Role.CANDIDATE)) {
            return;
        }
        votesGranted++;
        if (isMajority(votesGranted)) {
            if (preVote) {
                startElection();
            } else {
                becomeLeader();
            }
        }
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leaderId = id;
        leaderSinceNanos = clock.nanoTime();
        cancel(electionTimer);
        progress.clear();
        for (String peer : peers) {
            progress.put(peer, new PeerProgress(peer, log.lastIndex() + 1, leaderSinceNanos));
        }
        LOG.log(System.Logger.Level.INFO, "node " + id + " leads in term " + state.term());
        // Entries of earlier terms commit only through one of this term (Raft §5.4.2).
        termStartIndex = appendLocal(LogEntry.noop(state.term()));
        replicateToAll();
        scheduleHeartbeat();
        publishStatus();
    }

    private void becomeFollower(long term, String leader) {
        boolean wasLeader = role == Role.LEADER;
        if (term > state.term()) {
            state.saveTermAndVote(term, null);
        }
        role = Role.FOLLOWER;
        leaderId = leader;
        if (wasLeader) {
            cancel(heartbeatTimer);
            LOG.log(System.Logger.Level.INFO, "node " + id + " no longer leads (term " + state.term() + ")");
            failLeaderWork();
        }
        electionDeadlineNanos = clock.nanoTime() + randomElectionTimeoutNanos();
        scheduleElectionCheck(electionDeadlineNanos - clock.nanoTime());
        publishStatus();
    }

    // ---------------------------------------------------------------- replication (leader)

    /** Every heartbeat interval, in every role: fails requests whose deadline has passed. */
    private void scheduleTick() {
        tickTimer = scheduler.schedule(settings.heartbeatIntervalMs(), TimeUnit.MILLISECONDS, () -> {
            if (!stopped) {
                deadlines.expire(clock.nanoTime());
                publishStatus();
                scheduleTick();
            }
        });
    }

    private void scheduleHeartbeat() {
        heartbeatTimer = scheduler.schedule(settings.heartbeatIntervalMs(), TimeUnit.MILLISECONDS, this::onHeartbeat);
    }

    private void onHeartbeat() {
        if (stopped || role != Role.LEADER) {
            return;
        }
        if (!leaderStillHasQuorum()) {
            LOG.log(System.Logger.Level.WARNING, "node " + id + " steps down: no answer from a majority within "
                    + settings.electionTimeoutMs() + " ms (term " + state.term() + ")");
            becomeFollower(state.term(), null);
            return;
        }
        for (PeerProgress peer : progress.values()) {
            if (!peer.appendInFlight && peer.nextIndex <= log.lastIndex()) {
                sendEntries(peer);
            } else {
                sendHeartbeat(peer, reads.current());
            }
        }
        scheduleHeartbeat();
    }

    /** Check-quorum: a leader cut off from the majority stops taking writes it cannot commit. */
    private boolean leaderStillHasQuorum() {
        long now = clock.nanoTime();
        long window = settings.electionTimeoutMs() * 1_000_000L;
        if (now - leaderSinceNanos < window) {
            return true;
        }
        int recent = 1;
        for (PeerProgress peer : progress.values()) {
            if (now - peer.lastReplyNanos < window) {
                recent++;
            }
        }
        return isMajority(recent);
    }

    private void replicateToAll() {
        for (PeerProgress peer : progress.values()) {
            if (!peer.appendInFlight && peer.nextIndex <= log.lastIndex()) {
                sendEntries(peer);
            }
        }
        if (peers.isEmpty()) {
            advanceCommit();
        }
    }

    private void sendEntries(PeerProgress peer) {
        long prev = peer.nextIndex - 1;
        if (prev < log.snapshotIndex()) {
            // The follower needs entries compacted away here: it must catch up from a snapshot.
            sendSnapshot(peer);
            return;
        }
        AppendRequest.Builder request = AppendRequest.newBuilder().setTerm(state.term()).setLeader(id)
                .setPrevLogIndex(prev).setPrevLogTerm(log.termAt(prev)).setLeaderCommit(commitIndex).setRound(reads.current());
        long bytes = 0;
        try {
            for (long index = peer.nextIndex; index <= log.lastIndex()
                    && request.getEntriesCount() < settings.maxAppendEntries(); index++) {
                byte[] entry = log.entry(index);
                if (request.getEntriesCount() > 0 && bytes + entry.length > settings.maxAppendBytes()) {
                    break;
                }
                bytes += entry.length;
                request.addEntries(Entry.newBuilder().setTerm(log.termAt(index)).setData(ByteString.copyFrom(entry)));
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        peer.appendInFlight = true;
        long term = state.term();
        network.request(peer.id, RaftChannels.APPEND, request.build().toByteArray(), settings.electionTimeoutMs())
                .whenComplete((bytesReply, error) -> scheduler.execute(() -> {
                    if (role != Role.LEADER || state.term() != term || progress.get(peer.id) != peer) {
                        return;
                    }
                    peer.appendInFlight = false;
                    if (error == null) {
                        onAppendReply(peer, bytesReply);
                    }
                    if (role == Role.LEADER && !peer.appendInFlight && peer.nextIndex <= log.lastIndex()
                            && error == null) {
                        sendEntries(peer);
                    }
                }));
    }

    private void sendHeartbeat(PeerProgress peer, long heartbeatRound) {
        long prev = Math.max(peer.matchIndex, log.snapshotIndex());
        AppendRequest request = AppendRequest.newBuilder().setTerm(state.term()).setLeader(id)
                .setPrevLogIndex(prev).setPrevLogTerm(log.termAt(prev)).setLeaderCommit(commitIndex)
                .setRound(heartbeatRound).build();
        long term = state.term();
        network.request(peer.id, RaftChannels.APPEND, request.toByteArray(), settings.electionTimeoutMs())
                .whenComplete((bytesReply, error) -> {
                    if (error == null) {
                        scheduler.execute(() -> {
                            if (role == Role.LEADER && state.term() == term && progress.get(peer.id) == peer) {
                                onAppendReply(peer, bytesReply);
                            }
                        });
                    }
                });
    }

    private void onAppendReply(PeerProgress peer, byte[] bytes) {
        AppendReply reply;
        try {
            reply = AppendReply.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            LOG.log(System.Logger.Level.WARNING, "malformed append reply from " + peer.id + ": " + e.getMessage());
            return;
        }
        if (reply.getTerm() > state.term()) {
            becomeFollower(reply.getTerm(), null);
            return;
        }
        if (reply.getTerm() < state.term()) {
            return;
        }
        peer.lastReplyNanos = clock.nanoTime();
        if (reply.getRound() > peer.ackedRound) {
            peer.ackedRound = reply.getRound();
            confirmReadRounds();
        }
        if (reply.getSuccess()) {
            if (reply.getMatchIndex() > peer.matchIndex) {
                peer.matchIndex = reply.getMatchIndex();
                advanceCommit();
            }
            peer.nextIndex = Math.max(peer.nextIndex, peer.matchIndex + 1);
        } else if (reply.getConflictIndex() > 0) {
            peer.nextIndex = Math.max(peer.matchIndex + 1, Math.min(peer.nextIndex - 1, reply.getConflictIndex()));
        }
    }

    private void sendSnapshot(PeerProgress peer) {
        snapshotSender.send(peer, applier.appliedIndex());
    }

    /** What the snapshot sender needs from this node while it leads. */
    private final class LeaderForSnapshots implements SnapshotSender.Leader {
        @Override
        public long term() {
            return state.term();
        }

        @Override
        public boolean stillLeading(long term, PeerProgress peer) {
            return role == Role.LEADER && state.term() == term && progress.get(peer.id) == peer;
        }

        @Override
        public void stepDown(long newerTerm) {
            becomeFollower(newerTerm, null);
        }

        @Override
        public void caughtUp(PeerProgress peer) {
            advanceCommit();
            if (peer.nextIndex <= log.lastIndex()) {
                sendEntries(peer);
            }
        }
    }

    /** {@link RaftChannels#SNAPSHOT}: one chunk of a snapshot from the leader. */
    CompletableFuture<byte[]> onSnapshotChunk(String from, byte[] message) {
        SnapshotChunk chunk;
        try {
            chunk = SnapshotChunk.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.INVALID_REQUEST,
                    "malformed snapshot chunk from " + from + ": " + e.getMessage()));
        }
        SnapshotReply.Builder reply = SnapshotReply.newBuilder();
        if (chunk.getTerm() < state.term() || stopped) {
            return CompletableFuture.completedFuture(reply.setTerm(state.term()).setSuccess(false).build().toByteArray());
        }
        if (chunk.getTerm() > state.term() || role != Role.FOLLOWER) {
            becomeFollower(chunk.getTerm(), chunk.getLeader());
        }
        leaderId = chunk.getLeader();
        lastLeaderContactNanos = clock.nanoTime();
        electionDeadlineNanos = lastLeaderContactNanos + randomElectionTimeoutNanos();
        reply.setTerm(state.term());
        if (chunk.getLastIncludedIndex() <= commitIndex) {
            // Everything in it is committed here already, so the logs match up to there.
            return CompletableFuture.completedFuture(reply.setSuccess(true).build().toByteArray());
        }
        try {
            boolean accepted = snapshots.accept(chunk.getLastIncludedIndex(), chunk.getLastIncludedTerm(),
                    chunk.getOffset(), chunk.getData().toByteArray(), chunk.getDone());
            if (accepted && snapshots.completed().isPresent()) {
                install(snapshots.completed().get());
            }
            return CompletableFuture.completedFuture(reply.setSuccess(accepted).build().toByteArray());
        } catch (IOException | UncheckedIOException e) {
            fail(e);
            return CompletableFuture.failedFuture(new ModkvException(ErrorCode.STORAGE_FAILURE,
                    "node " + id + " cannot install a snapshot: " + e.getMessage()));
        }
    }

    /**
     * Replaces storage and the log by a received snapshot, then tells the commit listener
     * ({@link CommitListener#reset}); also run again on start-up after a crash.
     */
    void install(SnapshotReceiver.Received snapshot) throws IOException {
        LOG.log(System.Logger.Level.INFO, "node " + id + " installs a snapshot at entry " + snapshot.index()
                + " (term " + snapshot.term() + ")");
        SnapshotReceiver.replaceStorage(storage, snapshot.file());
        state.saveSnapshot(snapshot.index(), snapshot.term());
        log.resetTo(snapshot.index(), snapshot.term());
        java.nio.file.Files.deleteIfExists(snapshot.file());
        commitIndex = Math.max(commitIndex, snapshot.index());
        lastAppendFuture = CompletableFuture.completedFuture(snapshot.index());
        // Storage's content changed without commit callbacks (restore writes its own batches):
        // what listeners derived from earlier batches (indexes) must be rebuilt from storage. Told
        // before the applier moves, so no read barrier names the new sequence before the reset.
        commits.reset(storage.lastSequence());
        applier.resetTo(snapshot.index());
    }

    private void advanceCommit() {
        if (role != Role.LEADER) {
            return;
        }
        long[] matches = new long[peers.size() + 1];
        matches[0] = log.durableIndex();
        int i = 1;
        for (PeerProgress peer : progress.values()) {
            matches[i++] = peer.matchIndex;
        }
        java.util.Arrays.sort(matches);
        long majorityIndex = matches[matches.length - majority()];
        if (majorityIndex > commitIndex && log.termAt(majorityIndex) == state.term()) {
            commitIndex = majorityIndex;
            applyCommitted();
            reads.takeAwaitingTermCommit().forEach(this::leaderReadIndex);
        }
    }

    // ---------------------------------------------------------------- reads (leader)

    private void leaderReadIndex(CompletableFuture<Long> result) {
        if (commitIndex < termStartIndex) {
            // Until an entry of this term commits, this leader does not know the commit index.
            reads.awaitTermCommit(result);
            return;
        }
        if (peers.isEmpty()) {
            result.complete(commitIndex);
            return;
        }
        sendReadRound(reads.add(result, commitIndex));
    }

    private void confirmReadRounds() {
        sendReadRound(reads.confirm(this::confirmedByMajority, commitIndex));
    }

    private boolean confirmedByMajority(long readRound) {
        int acks = 1;
        for (PeerProgress peer : progress.values()) {
            if (peer.ackedRound >= readRound) {
                acks++;
            }
        }
        return isMajority(acks);
    }

    private void sendReadRound(long readRound) {
        if (readRound > 0) {
            for (PeerProgress peer : progress.values()) {
                sendHeartbeat(peer, readRound);
            }
        }
    }

    // ---------------------------------------------------------------- applying committed entries

    private void applyCommitted() {
        if (failure != null) {
            return;
        }
        try {
            applier.applyUpTo(commitIndex, proposals::remove);
        } catch (IOException e) {
            fail(e);
        }
    }

    /** The applied index moved: compact the log once enough entries are in storage. */
    private void onApplied(long appliedIndex) {
        if (appliedIndex - log.snapshotIndex() >= settings.snapshotEntries()) {
            // Storage holds every applied entry durably; a follower that still needs compacted
            // entries is sent a snapshot.
            compact(appliedIndex);
        }
    }

    private void compact(long index) {
        if (index <= log.snapshotIndex()) {
            return;
        }
        try {
            state.saveSnapshot(index, log.termAt(index));
            log.compactTo(index);
        } catch (IOException | UncheckedIOException e) {
            fail(e);
        }
    }

    // ---------------------------------------------------------------- failures and status

    private void failLeaderWork() {
        ModkvException lost = new ModkvException(ErrorCode.UNAVAILABLE, "node " + id
                + " lost leadership before the write committed; it may or may not be applied");
        proposals.values().forEach(p -> p.completeExceptionally(lost));
        proposals.clear();
        reads.failAll(notLeader());
        progress.values().forEach(SnapshotSender::abort);
        progress.clear();
    }

    private void failEverythingWaiting(ModkvException why) {
        proposals.values().forEach(p -> p.completeExceptionally(why));
        proposals.clear();
        reads.failAll(why);
        applier.clearWaiters();
    }

    /** Storage or the log failed: durability can no longer be promised, so this node stops taking part. */
    private void fail(Throwable error) {
        if (failure != null) {
            return;
        }
        failure = error;
        LOG.log(System.Logger.Level.ERROR, "Raft on node " + id + " stops: " + error.getMessage(), error);
        stop();
    }

    private boolean refuseWhenStopped(CompletableFuture<?> result) {
        if (!stopped) {
            return false;
        }
        result.completeExceptionally(failure != null
                ? new ModkvException(ErrorCode.STORAGE_FAILURE, "Raft stopped after a storage failure: " + failure.getMessage())
                : new ModkvException(ErrorCode.SHUTTING_DOWN, "node is shutting down"));
        return true;
    }

    private NotLeaderException notLeader() {
        return new NotLeaderException(leaderId, "node " + id + " is not the Raft leader"
                + (leaderId == null ? " and knows no leader (term " + state.term() + ")" : "; the leader is " + leaderId));
    }

    ReplicationStatus publishedStatus() {
        return published;
    }

    private void publishStatus() {
        published = status();
    }

    ReplicationStatus status() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("raft_term", state.term());
        details.put("raft_commit_index", commitIndex);
        details.put("raft_applied_index", applier.appliedIndex());
        details.put("raft_last_log_index", log.lastIndex());
        details.put("raft_snapshot_index", log.snapshotIndex());
        details.put("raft_peers", String.join(",", peers));
        for (PeerProgress peer : progress.values()) {
            details.put("raft_match_index_" + peer.id, peer.matchIndex);
        }
        ReplicationRole reported = switch (role) {
            case LEADER -> ReplicationRole.LEADER;
            case FOLLOWER -> ReplicationRole.FOLLOWER;
            case PRE_CANDIDATE, CANDIDATE -> ReplicationRole.CANDIDATE;
        };
        return new ReplicationStatus(reported, Optional.ofNullable(leaderId), details);
    }

    Role role() {
        return role;
    }

    long term() {
        return state.term();
    }

    long commitIndex() {
        return commitIndex;
    }

    long appliedIndex() {
        return applier.appliedIndex();
    }

    Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }

    // ---------------------------------------------------------------- helpers

    private int majority() {
        return (peers.size() + 1) / 2 + 1;
    }

    private boolean isMajority(int count) {
        return count >= majority();
    }

    private long randomElectionTimeoutNanos() {
        long base = settings.electionTimeoutMs() * 1_000_000L;
        return base + (long) (random.nextDouble() * base);
    }

    private long remainingMillis(long deadlineNanos) {
        return Math.max(1, (deadlineNanos - clock.nanoTime()) / 1_000_000L);
    }

    private static void cancel(Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
