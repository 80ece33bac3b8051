package org.modkv.replication.raft;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.storage.DurableLog;

/**
 * Raft's view of its log: the storage engine's {@link DurableLog} (group-committed, durable)
 * plus, in memory, the term of every entry held, a ring of the newest entries (so a leader
 * sends what it just appended without reading it back) and the position of the last compaction:
 * entries up to {@link #snapshotIndex()} live in the storage engine, not the log.
 *
 * <p>Also tracks how far the log is durable on this node. Appends complete in order; a
 * truncation starts a new epoch, so a late completion of an entry that has since been replaced
 * cannot mark its replacement durable. Confined to the Raft node's scheduler.
 */
final class RaftLog {
    private static final int CACHE_ENTRIES = 8192;

    private final DurableLog log;
    private long snapshotIndex;
    private long snapshotTerm;
    /** terms[i] is the term of entry snapshotIndex + 1 + i. */
    private long[] terms = new long[1024];
    private int count;
    private final byte[][] cache = new byte[CACHE_ENTRIES][];
    private final long[] cacheIndex = new long[CACHE_ENTRIES];
    private long durableIndex;
    private int epoch;

    private RaftLog(DurableLog log, long snapshotIndex, long snapshotTerm) {
        this.log = log;
        this.snapshotIndex = snapshotIndex;
        this.snapshotTerm = snapshotTerm;
        this.durableIndex = snapshotIndex;
    }

    /** Opens the log over what survived a restart: entries after the snapshot, all durable. */
    static RaftLog open(DurableLog log, long snapshotIndex, long snapshotTerm) throws IOException {
        if (log.lastIndex() < snapshotIndex) {
            // Crashed between recording an installed snapshot and trimming the log to it.
            if (log.lastIndex() >= log.firstIndex()) {
                log.truncateSuffix(log.firstIndex());
            }
            log.truncatePrefix(snapshotIndex + 1);
        }
        RaftLog raftLog = new RaftLog(log, snapshotIndex, snapshotTerm);
        long first = Math.max(log.firstIndex(), snapshotIndex + 1);
        if (first > snapshotIndex + 1) {
            throw new IOException("Raft log starts at entry " + log.firstIndex() + " but the storage holds entries only"
                    + " up to " + snapshotIndex + "; entries in between are missing");
        }
        for (long index = first; index <= log.lastIndex(); index++) {
            raftLog.addTerm(LogEntry.term(log.read(index)));
        }
        raftLog.durableIndex = raftLog.lastIndex();
        return raftLog;
    }

    long snapshotIndex() {
        return snapshotIndex;
    }

    long snapshotTerm() {
        return snapshotTerm;
    }

    long lastIndex() {
        return snapshotIndex + count;
    }

    long lastTerm() {
        return termAt(lastIndex());
    }

    /** The term of the entry at {@code index}, from {@link #snapshotIndex()} to {@link #lastIndex()}. */
    long termAt(long index) {
        if (index == snapshotIndex) {
            return snapshotTerm;
        }
        if (index < snapshotIndex || index > lastIndex()) {
            throw new IllegalArgumentException("no term for entry " + index + ": the log holds " + (snapshotIndex + 1)
                    + ".." + lastIndex() + " after a snapshot at " + snapshotIndex);
        }
        return terms[(int) (index - snapshotIndex - 1)];
    }

    /** The first index of the run of entries with the same term as {@code index}. */
    long firstIndexOfTerm(long index) {
        long term = termAt(index);
        long first = index;
        while (first - 1 > snapshotIndex && termAt(first - 1) == term) {
            first--;
        }
        return first;
    }

    /** Appends an entry; the future completes with its index once it is durable. */
    CompletableFuture<Long> append(byte[] entry) {
        long index = lastIndex() + 1;
        addTerm(LogEntry.term(entry));
        int slot = (int) (index % CACHE_ENTRIES);
        cache[slot] = entry;
        cacheIndex[slot] = index;
        CompletableFuture<Long> durable = log.append(entry);
        if (log.lastIndex() != index) {
            throw new IllegalStateException("the durable log numbered an append " + log.lastIndex() + ", Raft expected "
                    + index + "; is another writer using the log?");
        }
        return durable;
    }

    /** The stored entry at {@code index} (after the snapshot, up to the last). */
    byte[] entry(long index) throws IOException {
        int slot = (int) (index % CACHE_ENTRIES);
        if (cacheIndex[slot] == index && cache[slot] != null) {
            return cache[slot];
        }
        return log.read(index);
    }

    /** Removes entries from {@code index} on, durably. */
    void truncateFrom(long index) throws IOException {
        if (index > lastIndex()) {
            return;
        }
        log.truncateSuffix(index);
        count = (int) (index - snapshotIndex - 1);
        durableIndex = Math.min(durableIndex, index - 1);
        epoch++;
    }

    /** The log epoch an append belongs to; see {@link #markDurable}. */
    int epoch() {
        return epoch;
    }

    /** Notes that the append of {@code index} made in {@code appendEpoch} is durable. */
    void markDurable(long index, int appendEpoch) {
        if (appendEpoch == epoch && index > durableIndex && index <= lastIndex()) {
            durableIndex = index;
        }
    }

    long durableIndex() {
        return durableIndex;
    }

    /** Forgets entries up to {@code index}: the storage engine holds them durably. */
    void compactTo(long index) throws IOException {
        if (index <= snapshotIndex) {
            return;
        }
        long newTerm = termAt(index);
        int dropped = (int) (index - snapshotIndex);
        terms = Arrays.copyOfRange(terms, dropped, Math.max(dropped + 1024, terms.length));
        count -= dropped;
        snapshotIndex = index;
        snapshotTerm = newTerm;
        log.truncatePrefix(index + 1);
    }

    /**
     * Replaces the whole log by a snapshot ending at {@code index}: an installed snapshot.
     * Entries after it are dropped even if they match: simpler, and the leader resends them.
     */
    void resetTo(long index, long term) throws IOException {
        if (log.lastIndex() >= log.firstIndex()) {
            log.truncateSuffix(log.firstIndex());
        }
        log.truncatePrefix(index + 1);
        snapshotIndex = index;
        snapshotTerm = term;
        count = 0;
        durableIndex = index;
        epoch++;
    }

    private void addTerm(long term) {
        if (count == terms.length) {
            terms = Arrays.copyOf(terms, terms.length * 2);
        }
        terms[count++] = term;
    }
}
