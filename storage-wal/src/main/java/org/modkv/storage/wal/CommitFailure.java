package org.modkv.storage.wal;

import java.nio.file.Path;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.WriteCompletion;

/**
 * The failure that stops the write path: once a write or an fsync fails, the failing group and
 * everything after it fail with {@link ErrorCode#STORAGE_FAILURE}, and the ring refuses new
 * writes. The fsync is never retried: after a failed fsync the kernel may have dropped the dirty
 * pages, and a retry could report success for data that is gone.
 *
 * <p>Recorded by the thread with the {@link CommitTurn}; read by any thread.
 */
final class CommitFailure {
    private static final System.Logger LOG = System.getLogger(CommitFailure.class.getName());

    private final WriteRing ring;
    private final Path dir;
    private final ControlledMessageHandler failing = this::failMessage;
    private volatile ModkvException failure;

    CommitFailure(WriteRing ring, Path dir) {
        this.ring = ring;
        this.dir = dir;
    }

    /** The failure, or {@code null} while the write path is healthy. */
    ModkvException get() {
        return failure;
    }

    boolean happened() {
        return failure != null;
    }

    /** Records {@code cause} as the failure, unless one is recorded already, and refuses writes from now on. */
    void record(Throwable cause) {
        if (failure == null) {
            failure = new ModkvException(ErrorCode.STORAGE_FAILURE, "storage failed in the write-ahead log under "
                    + dir + ": " + cause + ". Writes are refused from now on because durability can no "
                    + "longer be promised; restart the node once the disk is healthy", cause);
            ring.fail(failure);
            LOG.log(System.Logger.Level.ERROR, failure.getMessage(), cause);
        }
    }

    /** Tells the caller of a write, a large write or a durable-log append that it failed. */
    void failCaller(Object completion) {
        if (completion instanceof WriteCompletion write) {
            GroupPublisher.complete(write, -1, failure);
        } else if (completion instanceof WriteRing.LargeWrite large) {
            GroupPublisher.complete(large.completion(), -1, failure);
        } else if (completion instanceof LogAppend append) {
            append.future().completeExceptionally(failure);
        }
    }

    /** After the failure: fails the messages still arriving in the ring, so no caller waits forever. */
    int failArriving(int limit) {
        return ring.read(failing, limit);
    }

    private ControlledMessageHandler.Action failMessage(int msgTypeId, MutableDirectBuffer buffer, int index,
                                                        int length) {
        Object holder = ring.takeSlot(index);
        if (holder instanceof AgentCommand failedCommand) {
            failedCommand.done().completeExceptionally(failure);
        } else {
            failCaller(holder);
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }
}
