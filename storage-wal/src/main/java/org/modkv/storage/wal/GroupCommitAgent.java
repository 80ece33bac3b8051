package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteCompletion;
import org.modkv.api.transport.EventLoopFsync;

/**
 * The one thread that writes: drains the {@link WriteRing}, gives each batch its sequence
 * number, frames it as a record into a reusable direct buffer, writes everything drained with
 * one {@code FileChannel.write} into the active segment, covers it with one {@code force},
 * then applies the group to the {@link KeyDirectory} (under one write lock, so readers see
 * whole batches) and fires the completions in sequence order. Durable-log appends ride the same
 * cycle into their own files ({@link DurableLogFiles}).
 *
 * <p><b>Why one writer.</b> Sequence numbers, file positions, visibility and completions all
 * follow from one order without a lock held across I/O, and group commit comes for free:
 * every batch that arrives while an fsync runs shares the next one.
 *
 * <p><b>Durability.</b> With {@code wal.sync=always} a group with a {@code DURABLE} write is
 * forced before it completes; {@code batch} forces at most once per interval, so durable writes
 * wait (and the ring pushes back when the buffer fills); {@code none} never forces on the
 * write path. Writes complete strictly in sequence order: {@code VISIBLE} writes ahead of the
 * first waiting durable one complete right after the write, later ones wait behind it. A write
 * is applied to the key directory just before it completes, so a read never sees a batch that
 * is not yet acknowledged.
 *
 * <p><b>Whose thread.</b> The agent normally runs on its own thread. With
 * {@code wal.caller.commits}, a thread that has ended a burst of writes (a transport's event
 * loop) runs the same cycle itself through {@link #commitOnCaller()} when the agent's thread is
 * not running it: the write, fsync and completions of everything drained then happen on that
 * thread, as in Redis, with no hand-off to wake up on either side. A {@link #turn} flag makes
 * the cycle mutually exclusive (and publishes the agent's state from one thread to the next),
 * so everything said here about "the agent" holds for whichever thread has the turn.
 *
 * <p><b>fsync outside the turn.</b> With {@code wal.sync=always} the thread that wrote a group
 * leaves the turn for the fsync ({@link #forceOutsideTurn}), so another thread (the agent's, or
 * another event loop) can write the next group and start its own fsync meanwhile: up to
 * {@code FsyncHandOff.MAX_IN_FLIGHT} at once, which this machine's disk serves about 1.5x faster
 * than one after the other. An fsync covers what was written before it started, so the writes
 * it covers are counted when it is handed out; they complete, still in sequence order, as soon
 * as any fsync that started after they were written returns. Rolling a segment (which seals the file) and agent
 * commands first wait for the blocking fsyncs outside the turn to return.
 *
 * <p><b>fsync on the event loop's ring.</b> A caller that passes its {@link EventLoopFsync}
 * (a transport's io_uring event loop) does not block in the fsync at all: it starts it on the
 * loop's ring ({@link EventLoopFsyncs}) and goes back to its connections, so the loop reads,
 * serves reads and writes the next group while the disk works. The fsync forces the file
 * through a descriptor of its own ({@link SyncDescriptor}), which stays open until it returns,
 * so rolls and commands need not wait for it. When it returns, on that loop,
 * {@link #eventLoopFsyncReturned} completes what it covers and starts the next fsync for durable
 * writes that waited meanwhile; the agent's thread is not involved.
 *
 * <p><b>Allocation.</b> None in steady state: the ring hands over bytes, completions sit in
 * preallocated arrays, checksums run over the direct buffer, the key directory is off-heap.
 *
 * <p><b>Failure.</b> If a write or fsync fails, the group and everything after it fails with
 * {@link ErrorCode#STORAGE_FAILURE} and the ring refuses new writes; the fsync is never
 * retried, because after a failed fsync the kernel may have dropped the dirty pages and a
 * retry could report success for data that is gone.
 */
final class GroupCommitAgent implements Agent, ControlledMessageHandler {
    static final String ROLE = "wal-group-commit";
    private static final System.Logger LOG = System.getLogger(GroupCommitAgent.class.getName());
    /** Most writes one group holds; the ring pushes back beyond it. */
    static final int MAX_GROUP = 16_384;
    /**
     * Most cycles a caller runs in one {@link #commitOnCaller()}, each with at most one fsync,
     * before it leaves the rest to the agent's thread: an event loop must get back to its
     * connections.
     */
    private static final int MAX_CALLER_CYCLES = 2;

    private final WriteRing ring;
    private final DataFiles files;
    private final KeyDirectory directory;
    private final SyncMode sync;
    private final long syncIntervalNs;
    private final GroupSizeHistogram groupSizes = new GroupSizeHistogram();
    private final List<DurableLogFiles> logs = new ArrayList<>();
    /** Segments rolled away from in the current group: settled once the group is applied. */
    private final List<DataFile> rolledAway = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The fsyncs {@link #commit} hands out to run outside the turn. */
    private final FsyncHandOff fsyncs = new FsyncHandOff();
    /** Index, counted over all groups, of the first write in {@link #pending}. */
    private long groupBase;
    /** Set when leaving the turn: a command waits, or durable writes wait for an fsync nobody runs yet. */
    private volatile boolean workLeftBehind;
    /** Held by the thread running the cycle: the agent's own or a caller's. */
    private final AtomicBoolean turn = new AtomicBoolean();

    private final ByteBuffer writeBuffer;
    private final ByteBuffer checksumView;
    private final UnsafeBuffer writeView;
    private final CRC32C crc = new CRC32C();
    private int bufferEnd;
    private int bufferWritten;
    private boolean bufferFull;
    private boolean commandWaiting;
    private boolean activeDirty;

    private final PendingGroup pending = new PendingGroup(MAX_GROUP);

    private long lastSequence;
    private volatile long completedSequence;
    private AgentCommand command;
    /** See {@link #nothingInFlight()}; written by the agent's thread (volatile for tests). */
    private volatile boolean nothingInFlight;
    private Exception handlerFailure;
    private long lastForceNs;
    private volatile ModkvException failure;
    private final ControlledMessageHandler failingHandler = this::failMessage;
    private final GroupPublisher publisher;
    /** The fsyncs {@link #commitOnCaller()} starts on the caller's event loop instead of blocking it. */
    private final EventLoopFsyncs eventLoopFsyncs = new EventLoopFsyncs(fsyncs, this::eventLoopFsyncReturned);

    GroupCommitAgent(WriteRing ring, DataFiles files, KeyDirectory directory, WalOptions options,
                     int bufferBytes, long recoveredSequence) {
        this.ring = ring;
        this.files = files;
        this.directory = directory;
        this.sync = options.sync();
        this.syncIntervalNs = options.syncIntervalMs() * 1_000_000L;
        this.writeBuffer = ByteBuffer.allocateDirect(bufferBytes);
        this.checksumView = writeBuffer.duplicate();
        this.writeView = new UnsafeBuffer(writeBuffer);
        this.lastSequence = recoveredSequence;
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
        lastForceNs = System.nanoTime();
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
        return eventLoopFsyncs.started();
    }

    GroupSizeHistogram groupSizes() {
        return groupSizes;
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
        // Read on this thread after a cycle that held the turn. Records still in the ring after a
        // cycle that did nothing either could not be taken (then the group or a command waits, and
        // those are checked) or came after it, from a writer that wakes this thread or commits
        // them itself. A caller's fsync running outside the turn completes its own writes. A caller
        // that leaves work behind wakes this thread (commitOnCaller). An fsync running on an event
        // loop's ring completes its group when it returns, there, and commits what waited; it
        // wakes this thread if it leaves work behind.
        nothingInFlight = work == 0 && (pending.isEmpty() || fsyncs.asyncRunning()) && command == null
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
            EventLoopFsync loop = sync == SyncMode.ALWAYS && loopFsync != EventLoopFsync.NONE ? loopFsync : null;
            if (loop != null) {
                // The fsync runs on the loop's ring; its return completes the group and commits what waits.
                turn(1, loop);
            } else {
                for (int cycles = 0; cycles < MAX_CALLER_CYCLES && (work = turn(1, null)) > 0; cycles++) {
                    // keep going while there is work
                }
            }
            workLeft = work != 0 || workLeftBehind;
        } catch (AgentTerminationException closing) {
            workLeft = true; // the engine is closing: the agent's own thread finishes up
        }
        ring.consumerIdle(true);
        if (workLeft || !ring.isEmpty()) {
            ring.wakeConsumerNow();
        }
    }

    /**
     * Takes the turn, runs one {@link #cycle()} and then the fsync that cycle handed out (if
     * any) outside the turn, so that another thread can write the next group meanwhile; up to
     * {@code maxForces} fsyncs in a row while new durable writes keep waiting; or, given the
     * caller's event {@code loop}, starts that fsync on the loop's ring and returns at once.
     * Returns the work done, or -1 if another thread had the turn.
     */
    private int turn(int maxForces, EventLoopFsync loop) {
        if (!turn.compareAndSet(false, true)) {
            return -1;
        }
        int work;
        DataFile file;
        long target;
        try {
            work = cycle();
        } finally {
            file = fsyncs.take();
            target = fsyncs.target();
            releaseTurn();
        }
        if (file != null) {
            if (loop != null && eventLoopFsyncs.start(file, target, loop)) {
                work++;
            } else {
                work += forceOutsideTurn(file, target, maxForces);
            }
        }
        return work;
    }

    /**
     * An fsync started on an event loop ({@link EventLoopFsyncs}) has returned, on that loop:
     * completes what it covers (or fails the log if it failed), then writes what waits and starts
     * the next fsync on the same loop, as {@link #forceOutsideTurn} does after a blocking one.
     */
    private void eventLoopFsyncReturned(EventLoopFsync loop, long target, long startNs, long endNs,
                                        Exception forceFailure) {
        while (!turn.compareAndSet(false, true)) {
            Thread.yield();
        }
        DataFile next;
        long nextTarget;
        try {
            fsyncReturned(target, startNs, endNs, forceFailure, true);
        } finally {
            next = fsyncs.take();
            nextTarget = fsyncs.target();
            releaseTurn();
        }
        if (next != null) {
            if (!eventLoopFsyncs.start(next, nextTarget, loop)) {
                forceOutsideTurn(next, nextTarget, 1);
            }
        }
        if (workLeftBehind) {
            ring.wakeConsumerNow();
        }
    }

    /** Leaves the turn; first notes whether work is left for the agent's own thread. */
    private void releaseTurn() {
        // Durable writes that wait while an asynchronous fsync runs are committed when it returns.
        workLeftBehind = command != null || failure == null && sync != SyncMode.NONE && pending.lastDurable() >= 0
                && fsyncs.uncovered(groupBase + pending.lastDurable()) && !fsyncs.asyncRunning();
        turn.set(false);
    }

    /**
     * Forces {@code file}, which {@link #commit} handed out to cover the writes below
     * {@code target}, without the turn (another thread may write and hand out the next fsync
     * meanwhile: up to {@code FsyncHandOff.MAX_IN_FLIGHT} run at once); then takes the turn back to
     * complete what it covers, and runs the next fsync if durable writes arrived meanwhile, up to
     * {@code maxForces} in all. Returns how many it ran.
     */
    private int forceOutsideTurn(DataFile file, long target, int maxForces) {
        int forces = 0;
        while (file != null) {
            forces++;
            long start = System.nanoTime();
            Exception forceFailure = null;
            try {
                file.force();
            } catch (IOException | RuntimeException e) {
                forceFailure = e;
            } finally {
                fsyncs.returned(); // even on an Error: closing waits for the count
            }
            long end = System.nanoTime();
            while (!turn.compareAndSet(false, true)) {
                Thread.yield();
            }
            DataFile next = null;
            long nextTarget = 0;
            try {
                fsyncReturned(target, start, end, forceFailure, forces < maxForces);
            } finally {
                next = fsyncs.take();
                nextTarget = fsyncs.target();
                releaseTurn();
            }
            file = next;
            target = nextTarget;
        }
        return forces;
    }

    /**
     * With the turn held, after an fsync outside it returned: records it, then fails the log if it
     * failed, or completes the writes below {@code target} it covers and, if {@code commitMore},
     * writes what waits and hands out the next fsync.
     */
    private void fsyncReturned(long target, long startNs, long endNs, Exception forceFailure, boolean commitMore) {
        files.recordFsync(endNs - startNs);
        lastForceNs = endNs;
        if (failure == null && forceFailure != null) {
            fail(forceFailure);
        } else if (failure == null) {
            int covered = (int) Math.min(Integer.MAX_VALUE, target - groupBase);
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
    }

    /** One turn of the agent's duty cycle; see {@link #doWork()}. */
    private int cycle() {
        int work = 0;
        try {
            if (failure != null) {
                work = drainFailing();
            } else {
                if (command != null && pending.isEmpty()) {
                    runCommand();
                    work++;
                }
                work += drain();
                if (handlerFailure != null) {
                    Exception e = handlerFailure;
                    handlerFailure = null;
                    fail(e);
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
        if (ring.isClosing() && ring.isEmpty() && pending.isEmpty() && command == null && fsyncs.noneRunning()) {
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
     * Whether a message waiting in the ring could be taken now: not when the group is full or
     * waits for a {@code batch} fsync, nor when a command waits for the group to finish. Then
     * the agent idles (a message in the ring is no work it can do).
     */
    private boolean canDrain() {
        return pending.room() > 0 && !bufferFull && !commandWaiting && handlerFailure == null;
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

    @Override
    public Action onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        if (msgTypeId == WriteRing.MSG_COMMAND) {
            if (!pending.isEmpty()) {
                commandWaiting = true;
                return Action.ABORT;
            }
            command = (AgentCommand) ring.takeSlot(index);
            return Action.BREAK;
        }
        boolean inline = msgTypeId == WriteRing.MSG_WRITE_DURABLE || msgTypeId == WriteRing.MSG_WRITE_VISIBLE;
        if (inline && bufferEnd + WalRecordFormat.HEADER_BYTES + length > writeBuffer.capacity()) {
            bufferFull = true;
            return Action.ABORT;
        }
        Object holder = ring.takeSlot(index);
        try {
            switch (msgTypeId) {
                case WriteRing.MSG_WRITE_DURABLE, WriteRing.MSG_WRITE_VISIBLE ->
                        frameWrite(msgTypeId == WriteRing.MSG_WRITE_DURABLE, buffer, index, length, holder);
                case WriteRing.MSG_WRITE_LARGE -> writeLarge((WriteRing.LargeWrite) holder);
                case WriteRing.MSG_LOG_APPEND -> {
                    LogAppend append = (LogAppend) holder;
                    append.log().frame(append);
                    pending.add(PendingGroup.LOG_APPEND, true, append.index(), 0, 0, 0, append, null);
                }
                default -> throw new IllegalStateException("unknown ring message type " + msgTypeId);
            }
        } catch (IOException | RuntimeException e) {
            // The holder was taken out of its slot: keep it so the failure reaches its caller.
            handlerFailure = e;
            pending.add(PendingGroup.FAILED, true, -1, 0, 0, 0, holder, null);
            return Action.BREAK;
        }
        return Action.CONTINUE;
    }

    /** Frames an inline batch from the ring into the write buffer as a write record. */
    private void frameWrite(boolean isDurable, DirectBuffer ringBuffer, int index, int length, Object completion)
            throws IOException {
        int recordBytes = WalRecordFormat.HEADER_BYTES + length;
        long location = placeRecord(recordBytes);
        long sequence = ++lastSequence;
        int at = bufferEnd;
        writeView.putByte(at + WalRecordFormat.TYPE_OFFSET, WalRecordFormat.TYPE_WRITE);
        writeView.putLong(at + WalRecordFormat.SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
        ringBuffer.getBytes(index, writeView, at + WalRecordFormat.BATCH_OFFSET, length);
        WalRecordFormat.seal(writeBuffer, checksumView, at, recordBytes, crc);
        bufferEnd = at + recordBytes;
        pending.add(PendingGroup.WRITE, isDurable, sequence, at, recordBytes, location, completion, null);
    }

    /** Writes a batch too large for the ring straight to the segment, after what is buffered. */
    private void writeLarge(WriteRing.LargeWrite write) throws IOException {
        long sequence = lastSequence + 1;
        byte[] record = WalRecordFormat.newRecord(WalRecordFormat.TYPE_WRITE, sequence, write.batch(), 0,
                write.batch().length);
        long location = placeRecord(record.length);
        writeOut();
        files.active().append(ByteBuffer.wrap(record));
        activeDirty = true;
        lastSequence = sequence;
        pending.add(PendingGroup.LARGE_WRITE, write.durability() == Durability.DURABLE, sequence, 0, record.length, location,
                write, record);
    }

    /** The location of a record of {@code recordBytes} appended next; rolls the segment first if it must. */
    private long placeRecord(int recordBytes) throws IOException {
        DataFile active = files.active();
        long position = active.size() + (bufferEnd - bufferWritten);
        if (files.mustRollBefore(position, recordBytes) || position > 0 && files.shouldRollToPrepared()) {
            writeOut();
            fsyncs.awaitNoneRunning();
            rolledAway.add(active);
            active = files.roll();
            activeDirty = false;
            position = 0;
            // Rolling forced the old segment: everything written so far is durable.
            pending.coverUpTo(pending.count());
            fsyncs.covered(groupBase + pending.count());
        }
        return Location.of(active.id(), position);
    }

    /** Writes what the buffer holds beyond what was written, with one write. */
    private void writeOut() throws IOException {
        if (bufferEnd > bufferWritten) {
            writeBuffer.limit(bufferEnd).position(bufferWritten);
            files.active().append(writeBuffer);
            writeBuffer.clear();
            bufferWritten = bufferEnd;
            activeDirty = true;
        }
    }

    /** Writes, forces when the sync mode says so, applies and completes what it can. */
    private int commit(long nowNs) throws IOException {
        if (pending.isEmpty()) {
            return 0;
        }
        writeOut();
        for (int i = 0; i < logs.size(); i++) {
            logs.get(i).writeOut();
        }
        int forced = 0;
        if (sync == SyncMode.NONE) {
            pending.coverAll();
        } else if (pending.awaitsFsync()) {
            if (sync == SyncMode.ALWAYS && logs.isEmpty()) {
                // Hand the fsync to the thread with the turn, to run outside it; unless one that
                // covers every waiting durable write is already out, or too many are.
                if (fsyncs.handOut(files.active(), groupBase + pending.lastDurable(), groupBase + pending.count())) {
                    activeDirty = false;
                    forced = 1;
                }
            } else {
                boolean due = sync == SyncMode.ALWAYS || ring.isClosing() || nowNs - lastForceNs >= syncIntervalNs;
                if (due) {
                    forceAll();
                    lastForceNs = nowNs;
                    forced = 1;
                    pending.coverAll();
                    fsyncs.covered(groupBase + pending.count());
                }
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
            publisher.publish(pending, writeView, from, to);
            pending.completedUpTo(to);
        }
        if (pending.allCompleted()) {
            resetGroup();
        }
    }

    private void forceAll() throws IOException {
        if (activeDirty) {
            files.forceActive();
            activeDirty = false;
        }
        for (int i = 0; i < logs.size(); i++) {
            DurableLogFiles log = logs.get(i);
            long start = System.nanoTime();
            if (log.force()) {
                files.recordFsync(System.nanoTime() - start);
            }
        }
    }

    private void resetGroup() {
        if (failure == null) {
            for (int i = 0; i < rolledAway.size(); i++) {
                rolledAway.get(i).settled();
            }
        }
        rolledAway.clear();
        groupBase += pending.count();
        pending.clear();
        commandWaiting = false;
        bufferEnd = 0;
        bufferWritten = 0;
        bufferFull = false;
    }

    private void runCommand() throws IOException {
        fsyncs.awaitNoneRunning(); // a command may seal or swap the file one of them forces
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

    // ---------------------------------------------------------------- failure

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = new ModkvException(ErrorCode.STORAGE_FAILURE, "storage failed in the write-ahead log under "
                    + files.dir() + ": " + cause + ". Writes are refused from now on because durability can no "
                    + "longer be promised; restart the node once the disk is healthy", cause);
            ring.fail(failure);
            LOG.log(System.Logger.Level.ERROR, failure.getMessage(), cause);
        }
        for (int i = pending.completed(); i < pending.count(); i++) {
            failCompletion(pending.takeCompletion(i));
        }
        resetGroup();
        if (command != null) {
            command.done().completeExceptionally(failure);
            command = null;
        }
    }

    /** After a failure: fails every message still arriving, so no caller waits forever. */
    private int drainFailing() {
        return ring.read(failingHandler, MAX_GROUP);
    }

    private Action failMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        Object holder = ring.takeSlot(index);
        if (holder instanceof AgentCommand failedCommand) {
            failedCommand.done().completeExceptionally(failure);
        } else {
            failCompletion(holder);
        }
        return Action.CONTINUE;
    }

    private void failCompletion(Object completion) {
        if (completion instanceof WriteCompletion write) {
            GroupPublisher.complete(write, -1, failure);
        } else if (completion instanceof WriteRing.LargeWrite large) {
            GroupPublisher.complete(large.completion(), -1, failure);
        } else if (completion instanceof LogAppend append) {
            append.future().completeExceptionally(failure);
        }
    }

    ModkvException failure() {
        return failure;
    }
}
