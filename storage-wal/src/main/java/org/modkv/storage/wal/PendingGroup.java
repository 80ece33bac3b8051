package org.modkv.storage.wal;

/**
 * The writes the {@link GroupCommitAgent} has drained and framed but not yet completed, in
 * sequence order: preallocated parallel arrays, so holding a write allocates nothing. Tracks
 * which of them an fsync covers and how far they may complete.
 *
 * <p>Used by the thread with the agent's {@link CommitTurn}.
 */
final class PendingGroup {
    /** A batch framed into the agent's write buffer. */
    static final byte WRITE = 0;
    /** A batch too large for the ring, written from its own array. */
    static final byte LARGE_WRITE = 1;
    /** A durable-log append. */
    static final byte LOG_APPEND = 2;
    /** A message whose handling failed; only its caller is left to tell. */
    static final byte FAILED = 3;

    final byte[] kinds;
    final boolean[] durable;
    final long[] sequences;
    final int[] bufferOffsets;
    final int[] recordLengths;
    final long[] recordLocations;
    final Object[] completions;
    final byte[][] largeRecords;
    /** Index, counted over all groups, of this group's first write. */
    private long base;
    private int count;
    private int completed;
    private int covered;
    private int lastDurable = -1;

    PendingGroup(int capacity) {
        kinds = new byte[capacity];
        durable = new boolean[capacity];
        sequences = new long[capacity];
        bufferOffsets = new int[capacity];
        recordLengths = new int[capacity];
        recordLocations = new long[capacity];
        completions = new Object[capacity];
        largeRecords = new byte[capacity][];
    }

    void add(byte kind, boolean isDurable, long sequence, int bufferOffset, int recordLength, long location,
             Object completion, byte[] largeRecord) {
        int i = count++;
        kinds[i] = kind;
        durable[i] = isDurable;
        sequences[i] = sequence;
        bufferOffsets[i] = bufferOffset;
        recordLengths[i] = recordLength;
        recordLocations[i] = location;
        completions[i] = completion;
        largeRecords[i] = largeRecord;
        if (isDurable) {
            lastDurable = i;
        }
    }

    int count() {
        return count;
    }

    /** Index, counted over all groups, of write {@code i} of this group (fsyncs cover writes by such indexes). */
    long indexOf(int i) {
        return base + i;
    }

    int room() {
        return kinds.length - count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Index of the first write not completed yet. */
    int completed() {
        return completed;
    }

    /** Whether a durable write waits for an fsync that has not covered it. */
    boolean awaitsFsync() {
        return lastDurable >= covered;
    }

    /** Everything added so far is durable now (an fsync covered it, or none is needed). */
    void coverAll() {
        covered = count;
    }

    /** Writes {@code [0, end)} are durable now. */
    void coverUpTo(int end) {
        covered = Math.max(covered, Math.min(end, count));
    }

    /** Index of the last durable write added, or -1. */
    int lastDurable() {
        return lastDurable;
    }

    /**
     * End (exclusive) of the writes that may complete now: in order, up to the first durable
     * one no fsync has covered (a later visible write waits behind it).
     */
    int completableEnd() {
        int end = completed;
        while (end < count && (!durable[end] || end < covered)) {
            end++;
        }
        return end;
    }

    void completedUpTo(int end) {
        completed = end;
    }

    boolean allCompleted() {
        return completed == count;
    }

    /** Takes write {@code i}'s completion (and its large record) out, so the group holds no references. */
    Object takeCompletion(int i) {
        Object completion = completions[i];
        completions[i] = null;
        largeRecords[i] = null;
        return completion;
    }

    /** Starts the next group: what this one held is done (completed or failed). */
    void clear() {
        base += count;
        count = 0;
        completed = 0;
        covered = 0;
        lastDurable = -1;
    }
}
