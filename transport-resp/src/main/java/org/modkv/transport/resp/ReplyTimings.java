package org.modkv.transport.resp;

import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestOperation;

/**
 * When each of a connection's outstanding requests arrived and what it was, in request order
 * (the order its replies leave in), so that its latency can be recorded once the reply is
 * written. Replies are marked encoded as they go into the outbound buffer and recorded after
 * the flush that writes them. A growable ring of primitives: it allocates only when a
 * connection has more requests outstanding than ever before. Confined to the connection's
 * event loop.
 */
final class ReplyTimings {
    private static final RequestOperation[] OPERATIONS = RequestOperation.values();

    private long[] received = new long[16];
    private byte[] operations = new byte[16];
    private boolean[] failed = new boolean[16];
    private int head;
    private int size;
    /** How many entries from the head have their reply encoded but not yet flushed. */
    private int encoded;

    /** A request arrived at {@code receivedNanos}; its reply is the last one outstanding. */
    void add(long receivedNanos, RequestOperation operation) {
        if (size == received.length) {
            grow();
        }
        int at = (head + size) & (received.length - 1);
        received[at] = receivedNanos;
        operations[at] = (byte) operation.ordinal();
        failed[at] = false;
        size++;
    }

    /** The next reply in order went into the outbound buffer; {@code error} if it is an error reply. */
    void encoded(boolean error) {
        failed[(head + encoded) & (received.length - 1)] = error;
        encoded++;
    }

    /** The replies marked encoded were written at {@code writtenNanos}: records and forgets them. */
    void flushed(long writtenNanos, LatencyRecorder recorder) {
        int mask = received.length - 1;
        for (int i = 0; i < encoded; i++) {
            int at = (head + i) & mask;
            recorder.record(OPERATIONS[operations[at]], received[at], writtenNanos, failed[at]);
        }
        head = (head + encoded) & mask;
        size -= encoded;
        encoded = 0;
    }

    /** Forgets everything (the connection closed). */
    void clear() {
        head = 0;
        size = 0;
        encoded = 0;
    }

    private void grow() {
        int capacity = received.length;
        long[] newReceived = new long[capacity * 2];
        byte[] newOperations = new byte[capacity * 2];
        boolean[] newFailed = new boolean[capacity * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (capacity - 1);
            newReceived[i] = received[from];
            newOperations[i] = operations[from];
            newFailed[i] = failed[from];
        }
        received = newReceived;
        operations = newOperations;
        failed = newFailed;
        head = 0;
    }
}
