package org.modkv.storage.wal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.ControlledMessageHandler;
import org.modkv.api.ModkvException;
import org.modkv.api.transport.EventLoopFsync;

/**
 * The duty cycle of the write path, the one writer: each cycle drains the {@link WriteRing} into
 * the group ({@link RecordAppender}), writes it to the active segment with one {@code write},
 * asks the {@link SyncPolicy} what the group needs, has the {@link FsyncPipeline} fsync it, then
 * applies what is durable to the {@link KeyDirectory} and completes it in sequence order
 * ({@link GroupPublisher}). Between groups it runs {@link AgentCommand}s (durable logs opening,
 * truncating, closing). A failure stops the path for good ({@link CommitFailure}).
 *
 * <p>The cycle runs on the agent's own thread ({@link #doWork}), or with {@code wal.caller.commits}
 * on a thread that has ended a burst of writes ({@link #commitOnCaller}); whoever holds the
 * {@link CommitTurn} runs it, so everything said of "the agent" holds for that thread. Why one
 * writer, and how the fsync leaves the turn: docs/design/group-commit.md.
 *
 * <p>Nothing is allocated in steady state: the ring hands over bytes, completions sit in
 * preallocated arrays, checksums run over the direct buffer, the key directory is off-heap.
 */
final class GroupCommitAgent implements Agent, ControlledMessageHandler {
    static final String ROLE = "wal-group-commit";
    /** Most writes one group holds; the ring pushes back beyond it. */
    static final int MAX_GROUP = 16_384;
    /**
     * Most cycles a caller runs in one {@link #commitOnCaller}, each with at most one fsync,
     * before it leaves the rest to the agent's thread: an event loop must get back to its
     * connections.
     */
    private static final int MAX_CALLER_CYCLES = 2;

    private final WriteRing ring;
    private final SyncPolicy policy;
    private final PendingGroup pending = new PendingGroup(MAX_GROUP);
    private final CommitTurn turn = new CommitTurn(this::workLeftForAgent);
    private final RecordAppender appender;
    private final FsyncPipeline fsyncs;
    private final FsyncHandOff handOff;
    private final GroupPublisher publisher;
    private final GroupSizeHistogram groupSizes = new GroupSizeHistogram();
    private final CommitFailure failure;
    private final List<DurableLogFiles> logs = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile long completedSequence;
    private AgentCommand command;
    /** A command waits in the ring for the group to complete. */
    private boolean commandWaiting;
    /** See {@link #nothingInFlight()}; written by the agent's thread (volatile for tests). */
    private volatile boolean nothingInFlight;

    GroupCommitAgent(WriteRing ring, DataFiles files, KeyDirectory directory, WalOptions options,
                     int bufferBytes, long recoveredSequence) {
        this.ring = ring;
        this.policy = new SyncPolicy(options.sync(), options.syncIntervalMs());
        this.fsyncs = new FsyncPipeline(files, turn, ring::wakeConsumerNow, this::fsyncReturned);
        this.handOff = fsyncs.handOff();
        this.appender = new RecordAppender(ring, files, handOff, pending, bufferBytes, recoveredSequence);
        this.failure = new CommitFailure(ring, files.dir());
        this.completedSequence = recoveredSequence;
        this.publisher = new GroupPublisher(files, directory, sequence -> completedSequence = sequence);
    }

    @Override
    public String roleName() {
        return ROLE;
    }

    @Override
    public void onStart() {
        ring.consumer(Thread.currentThread());
        policy.fsynced(System.nanoTime());
    }

    @Override
    public void onClose() {
        stopped.countDown();
    }

    /**
     * Waits up to {@code millis} for the agent to drain everything and stop (after
     * {@link WriteRing#close()}); returns whether it has.
     */
    boolean awaitStopped(long millis) {
        try {
            return stopped.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stopped.getCount() == 0;
        }
    }

    long completedSequence() {
        return completedSequence;
    }

    /** fsyncs started on event loops' rings so far. */
    long eventLoopFsyncs() {
        return fsyncs.startedOnEventLoops();
    }

    GroupSizeHistogram groupSizes() {
        return groupSizes;
    }

    ModkvException failure() {
        return failure.get();
    }

    @Override
    public int doWork() {
        int work = turn(Integer.MAX_VALUE, null);
        if (work < 0) {
            // A caller has the turn; it wakes this thread if it leaves work behind.
            nothingInFlight = true;
            ring.consumerIdle(true);
            return 0;
        }
        // Records still in the ring after a cycle that did nothing either could not be taken (then
        // the group or a command waits, and those are checked) or came after it, from a writer that
        // wakes this thread or commits them itself. An fsync outside the turn completes its own
        // writes when it returns, and wakes this thread if it leaves work behind; so does a caller.
        nothingInFlight = work == 0 && (pending.isEmpty() || handOff.asyncRunning()) && command == null
                && !ring.isClosing();
        return work;
    }

    /**
     * Whether the last {@link #doWork} left nothing that this thread must look at again by
     * itself: no write of its group waiting (for a {@code batch} fsync, or for room), no command
     * waiting, not closing. Read by the agent's idle strategy, on the agent's thread.
     */
    boolean nothingInFlight() {
        return nothingInFlight;
    }

    /**
     * Runs the commit cycle on the calling thread until there is nothing left to do (at most a
     * few cycles), unless another thread has the turn. Writes this thread offered before the
     * call are then written, forced as the sync mode says and completed, here or by the
     * agent's thread, which is woken if anything is left.
     *
     * @param loopFsync the calling event loop's way to fsync without blocking, or
     *     {@link EventLoopFsync#NONE}
     */
    void commitOnCaller(EventLoopFsync loopFsync) {
        boolean workLeft;
        try {
            int work = 0;
            EventLoopFsync loop = policy.forcesEachGroup() && loopFsync != EventLoopFsync.NONE ? loopFsync : null;
            if (loop != null) {
                // The fsync runs on the loop's ring; its return completes the group and commits what waits.
                turn(1, loop);
            } else {
                for (int cycles = 0; cycles < MAX_CALLER_CYCLES && (work = turn(1, null)) > 0; cycles++) {
                    // keep going while there is work
                }
            }
            workLeft = work != 0 || turn.workLeftBehind();
        } catch (AgentTerminationException closing) {
            workLeft = true; // the engine is closing: the agent's own thread finishes up
        }
        ring.consumerIdle(true);
        if (workLeft || !ring.isEmpty()) {
            ring.wakeConsumerNow();
        }
    }

    /**
     * Takes the turn, runs one {@link #cycle()} and then, outside the turn, the fsync that cycle
     * handed out (if any; see {@link FsyncPipeline#run}). Returns the work done, or -1 if another
     * thread had the turn.
     */
    private int turn(int maxForces, EventLoopFsync loop) {
        if (!turn.tryTake()) {
            return -1;
        }
        int work;
        DataFile file;
        long target;
        try {
            work = cycle();
        } finally {
            file = handOff.take();
            target = handOff.target();
            turn.release();
        }
        return work + fsyncs.run(file, target, maxForces, loop);
    }

    /**
     * Asked when leaving the turn: a command waits, or durable writes wait for an fsync that
     * nobody runs yet (one running on an event loop commits them when it returns).
     */
    private boolean workLeftForAgent() {
        return command != null || !failure.happened() && policy.forcesDurableWrites() && pending.lastDurable() >= 0
                && handOff.uncovered(pending.indexOf(pending.lastDurable())) && !handOff.asyncRunning();
    }

    /**
     * With the turn held, after an fsync outside it returned: fails the log if it failed, or
     * completes the writes below {@code target} it covers and, if {@code commitMore}, writes what
     * waits and hands out the next fsync.
     */
    private void fsyncReturned(long target, long endNs, Exception forceFailure, boolean commitMore) {
        policy.fsynced(endNs);
        if (failure.happened()) {
            return;
        }
        if (forceFailure != null) {
            fail(forceFailure);
            return;
        }
        int covered = (int) Math.min(Integer.MAX_VALUE, target - pending.indexOf(0));
        if (covered > 0) {
            pending.coverUpTo(covered);
            completeWhatIsDurable();
        }
        if (commitMore) {
            try {
                commit(endNs);
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }
    }

    /** One turn of the duty cycle; see {@link #doWork()}. */
    private int cycle() {
        int work = 0;
        try {
            if (failure.happened()) {
                work = failure.failArriving(MAX_GROUP);
            } else {
                if (command != null && pending.isEmpty()) {
                    runCommand();
                    work++;
                }
                work += drain();
                Exception appendFailure = appender.takeFailure();
                if (appendFailure != null) {
                    fail(appendFailure);
                    work++;
                } else {
                    work += commit(System.nanoTime());
                    if (command != null && pending.isEmpty()) {
                        runCommand();
                        work++;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
            work++;
        }
        if (work > 0) {
            ring.consumerIdle(false);
            return work;
        }
        if (ring.isClosing() && ring.isEmpty() && pending.isEmpty() && command == null && handOff.noneRunning()) {
            throw new AgentTerminationException(true);
        }
        ring.consumerIdle(true);
        if (!ring.isEmpty() && canDrain()) {
            ring.consumerIdle(false);
            return 1;
        }
        return 0;
    }

    /**
     * Whether a message waiting in the ring could be taken now: not when the group or the buffer
     * is full (the group waits for a {@code batch} fsync, or for room), nor when a command waits
     * for the group to finish. Then the agent idles (a message in the ring is no work it can do).
     */
    private boolean canDrain() {
        return pending.room() > 0 && appender.canTakeMore() && !commandWaiting;
    }

    private int drain() {
        int read = 0;
        while (command == null && canDrain()) {
            int n = ring.read(this, pending.room());
            if (n == 0) {
                break;
            }
            read += n;
        }
        return read;
    }

    /** A ring message: a command waits for the group to complete; anything else joins it. */
    @Override
    public Action onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        if (msgTypeId != WriteRing.MSG_COMMAND) {
            return appender.append(msgTypeId, buffer, index, length);
        }
        if (!pending.isEmpty()) {
            commandWaiting = true;
            return Action.ABORT;
        }
        command = (AgentCommand) ring.takeSlot(index);
        return Action.BREAK;
    }

    /** Writes the group out, has it fsync'd as the policy says, and completes what is durable. */
    private int commit(long nowNs) throws IOException {
        if (pending.isEmpty()) {
            return 0;
        }
        appender.writeOut();
        for (int i = 0; i < logs.size(); i++) {
            logs.get(i).writeOut();
        }
        int forced = 0;
        switch (policy.next(pending.awaitsFsync(), !logs.isEmpty(), ring.isClosing(), nowNs)) {
            case COMPLETE_UNFORCED -> pending.coverAll();
            case WAIT -> {
            }
            case FSYNC_OUTSIDE_TURN -> {
                // Unless one that covers every waiting durable write is already out, or too many are.
                if (handOff.handOut(appender.activeSegment(), pending.indexOf(pending.lastDurable()),
                        pending.indexOf(pending.count()))) {
                    appender.activeForced();
                    forced = 1;
                }
            }
            case FSYNC_IN_TURN -> {
                fsyncs.forceInTurn(appender, logs);
                policy.fsynced(nowNs);
                forced = 1;
                pending.coverAll();
                handOff.covered(pending.indexOf(pending.count()));
            }
        }
        completeWhatIsDurable();
        return forced;
    }

    /** Applies and completes, in order, the writes an fsync (or none being needed) has made durable. */
    private void completeWhatIsDurable() {
        int from = pending.completed();
        int to = pending.completableEnd();
        if (to > from) {
            groupSizes.record(to - from);
            publisher.publish(pending, appender.records(), from, to);
            pending.completedUpTo(to);
        }
        if (pending.allCompleted()) {
            endGroup();
        }
    }

    private void endGroup() {
        appender.groupDone(!failure.happened());
        pending.clear();
        commandWaiting = false;
    }

    private void runCommand() throws IOException {
        handOff.awaitNoneRunning(); // a command may seal or swap the file one of them forces
        AgentCommand current = command;
        command = null;
        try {
            current.run();
        } catch (IOException | RuntimeException e) {
            current.done().completeExceptionally(e);
            throw e;
        }
        current.done().complete(null);
    }

    /** Agent only, from a command: starts or stops writing {@code log}'s appends. */
    void register(DurableLogFiles log) {
        logs.add(log);
    }

    void unregister(DurableLogFiles log) {
        logs.remove(log);
    }

    /** Fails the log with {@code cause}: the group, the waiting command and everything after them. */
    private void fail(Throwable cause) {
        failure.record(cause);
        for (int i = pending.completed(); i < pending.count(); i++) {
            failure.failCaller(pending.takeCompletion(i));
        }
        endGroup();
        if (command != null) {
            command.done().completeExceptionally(failure.get());
            command = null;
        }
    }
}
