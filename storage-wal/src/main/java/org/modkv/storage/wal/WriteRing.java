package org.modkv.storage.wal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * The producer side of the write path: an Agrona {@link ManyToOneRingBuffer} over direct
 * memory that any thread offers batches into, and the one consumer (the
 * {@link GroupCommitAgent}) drains.
 *
 * <p><b>Messages.</b> A write claims {@code encodedLength} bytes ({@code tryClaim}), copies
 * the batch encoding in and commits; the message type carries the durability. Nothing is
 * allocated: the completion is parked in a preallocated slot array indexed by the message's
 * offset in the ring divided by 8. Live messages never share an 8-byte slot (every record is
 * at least 8 bytes and 8-aligned), and the consumer takes the completion out of its slot
 * before the message's space is released, so a slot is never overwritten while in use; the
 * ring's release/acquire on the record length orders the slot store before the consumer's
 * load. Batches larger than {@link #maxInlineBytes()} (and durable-log appends and agent
 * commands) travel as objects in the slot behind an empty message: allocating, but they keep
 * their place in the order.
 *
 * <p><b>Back-pressure</b> is a return value: {@link #offer} returns {@code false} when the
 * ring is full (and wakes the agent, so that it makes room). <b>Waking</b>: when the agent says
 * it is idle, a producer unparks it after committing, so an agent parked by its idle strategy
 * costs no latency; except a producer thread that has said it commits its own writes at the end
 * of its burst ({@link #callerCommits()}), which leaves the agent asleep.
 */
final class WriteRing {
    static final int MSG_WRITE_DURABLE = 1;
    static final int MSG_WRITE_VISIBLE = 2;
    static final int MSG_WRITE_LARGE = 3;
    static final int MSG_LOG_APPEND = 4;
    static final int MSG_COMMAND = 5;

    /** A batch too large to copy into the ring: a copy travels by reference. */
    record LargeWrite(byte[] batch, Durability durability, WriteCompletion completion) {
    }

    private final ManyToOneRingBuffer ring;
    private final UnsafeBuffer buffer;
    private final Object[] slots;
    private final int maxInlineBytes;
    private volatile boolean closing;
    private volatile ModkvException failure;
    private volatile boolean consumerIdle;
    private volatile Thread consumer;
    /** {@code TRUE} on threads that commit their own writes at the end of each burst. */
    private final ThreadLocal<Boolean> committingCallers = new ThreadLocal<>();

    /** @param capacity bytes of messages, a power of two */
    WriteRing(int capacity) {
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
        ring = new ManyToOneRingBuffer(buffer);
        slots = new Object[(capacity >> 3) + 1];
        maxInlineBytes = ring.maxMsgLength();
    }

    /** Largest batch copied into the ring; larger ones take the allocating path. */
    int maxInlineBytes() {
        return maxInlineBytes;
    }

    /** See {@link org.modkv.api.storage.StorageEngine#offer}. Allocation-free for batches up to {@link #maxInlineBytes()}. */
    boolean offer(WriteBatch batch, Durability durability, WriteCompletion completion) {
        checkAccepting();
        byte[] encoded = batch.encodedBuffer();
        int length = batch.encodedLength();
        checkBatch(encoded, length);
        if (length > maxInlineBytes) {
            return offerObject(MSG_WRITE_LARGE, new LargeWrite(Arrays.copyOf(encoded, length), durability, completion));
        }
        int index = ring.tryClaim(durability == Durability.DURABLE ? MSG_WRITE_DURABLE : MSG_WRITE_VISIBLE, length);
        if (index < 0) {
            wakeConsumerNow();
            return false;
        }
        if (closing || failure != null) {
            ring.abort(index);
            checkAccepting();
        }
        slots[index >> 3] = completion;
        buffer.putBytes(index, encoded, 0, length);
        ring.commit(index);
        if (committingCallers.get() != Boolean.TRUE) {
            wakeConsumer();
        }
        return true;
    }

    /**
     * Offers a message whose content is {@code holder} (a {@link LargeWrite}, a durable-log
     * append or an agent command). Returns {@code false} when the ring is full.
     */
    boolean offerObject(int msgTypeId, Object holder) {
        checkAccepting();
        int index = ring.tryClaim(msgTypeId, 0);
        if (index < 0) {
            wakeConsumerNow();
            return false;
        }
        if (closing || failure != null) {
            ring.abort(index);
            checkAccepting();
        }
        slots[index >> 3] = holder;
        ring.commit(index);
        wakeConsumer();
        return true;
    }

    private void wakeConsumer() {
        if (consumerIdle) {
            wakeConsumerNow();
        }
    }

    /** Unparks the agent's thread whether or not it said it is idle. */
    void wakeConsumerNow() {
        Thread thread = consumer;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * From now on the calling thread commits its own writes at the end of each burst
     * ({@link GroupCommitAgent#commitOnCaller}): its offers no longer wake the agent.
     */
    void callerCommits() {
        if (committingCallers.get() != Boolean.TRUE) {
            committingCallers.set(Boolean.TRUE);
        }
    }

    /** Refuses too-large batches and keys before anything is claimed. */
    private static void checkBatch(byte[] encoded, int length) {
        if (length > WalRecordFormat.MAX_BATCH_BYTES) {
            throw new ModkvException(ErrorCode.TOO_LARGE, "a write batch of " + length + " bytes is larger than the "
                    + "write-ahead log's limit of " + WalRecordFormat.MAX_BATCH_BYTES + " bytes; split it into smaller "
                    + "batches");
        }
        int p = 0;
        while (p < length) {
            int keyLength = getInt(encoded, p + 1);
            if (keyLength > WalRecordFormat.MAX_KEY_BYTES) {
                throw new ModkvException(ErrorCode.TOO_LARGE, "a key of " + keyLength + " bytes is larger than the "
                        + "limit of " + WalRecordFormat.MAX_KEY_BYTES + " bytes (keys are held in memory)");
            }
            p += WriteBatch.ENTRY_HEADER_BYTES + keyLength + getInt(encoded, p + 5) + getInt(encoded, p + 9);
        }
    }

    private static int getInt(byte[] b, int p) {
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    /** Throws if writes are refused (closing, or after a storage failure). */
    void checkAccepting() {
        ModkvException failed = failure;
        if (failed != null) {
            throw new ModkvException(ErrorCode.STORAGE_FAILURE, failed.getMessage(), failed.getCause());
        }
        if (closing) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "storage is closed: the node is shutting down");
        }
    }

    // ---------------------------------------------------------------- consumer side

    /** Reads up to {@code limit} messages; see {@link ManyToOneRingBuffer#controlledRead}. Consumer only. */
    int read(ControlledMessageHandler handler, int limit) {
        return ring.controlledRead(handler, limit);
    }

    /** Takes (and clears) what the message at {@code index} parked in its slot. Consumer only. */
    Object takeSlot(int index) {
        Object holder = slots[index >> 3];
        slots[index >> 3] = null;
        return holder;
    }

    /** Whether every claimed message has been read (including ones still being copied in). */
    boolean isEmpty() {
        return ring.producerPosition() == ring.consumerPosition();
    }

    /** The agent says whether it is about to idle; see the class comment. */
    void consumerIdle(boolean idle) {
        consumerIdle = idle;
    }

    void consumer(Thread thread) {
        consumer = thread;
    }

    /** Refuses writes from now on; those already committed are still drained. */
    void close() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /** Refuses writes from now on with {@code failed} (a storage failure). */
    void fail(ModkvException failed) {
        if (failure == null) {
            failure = failed;
        }
    }

    ModkvException failure() {
        return failure;
    }
}
