package org.modkv.replication.raft;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/**
 * A leader's linearizable reads (ReadIndex, Raft §6.4): each read takes the commit index as its
 * read index, and may be answered once a majority has answered a heartbeat round that started
 * after the read arrived, which proves no other leader could have committed meanwhile. Reads
 * share rounds: at most one round is in flight, and every read arriving meanwhile joins the
 * next. Until an entry of the leader's own term commits, the leader does not know the commit
 * index, so reads wait for that first. Confined to the Raft scheduler.
 */
final class ReadRounds {
    private record PendingRead(long readIndex, CompletableFuture<Long> result) {
    }

    private long round;
    private boolean inFlight;
    private final List<CompletableFuture<Long>> next = new ArrayList<>();
    private final TreeMap<Long, List<PendingRead>> byRound = new TreeMap<>();
    private final List<CompletableFuture<Long>> awaitingTermCommit = new ArrayList<>();

    /** The newest round; heartbeats carry it so that their replies confirm it. */
    long current() {
        return round;
    }

    /** Parks a read until an entry of this term commits. */
    void awaitTermCommit(CompletableFuture<Long> read) {
        awaitingTermCommit.add(read);
    }

    /** The reads parked by {@link #awaitTermCommit}, removed. */
    List<CompletableFuture<Long>> takeAwaitingTermCommit() {
        List<CompletableFuture<Long>> reads = new ArrayList<>(awaitingTermCommit);
        awaitingTermCommit.clear();
        return reads;
    }

    /** Queues a read; returns the round to send heartbeats for when this starts one, else 0. */
    long add(CompletableFuture<Long> read, long commitIndex) {
        next.add(read);
        return inFlight ? 0 : start(commitIndex);
    }

    /**
     * Answers the reads of every round a majority has confirmed, oldest first; returns a new
     * round to send heartbeats for when reads are waiting for one, else 0.
     */
    long confirm(LongPredicate confirmedByMajority, long commitIndex) {
        Iterator<Map.Entry<Long, List<PendingRead>>> rounds = byRound.entrySet().iterator();
        while (rounds.hasNext()) {
            Map.Entry<Long, List<PendingRead>> entry = rounds.next();
            if (!confirmedByMajority.test(entry.getKey())) {
                break;
            }
            rounds.remove();
            for (PendingRead read : entry.getValue()) {
                read.result().complete(read.readIndex());
            }
            if (entry.getKey() == round) {
                inFlight = false;
            }
        }
        return !inFlight && !next.isEmpty() ? start(commitIndex) : 0;
    }

    /** Fails every waiting read (leadership lost, or shutting down). */
    void failAll(Throwable why) {
        next.forEach(read -> read.completeExceptionally(why));
        next.clear();
        awaitingTermCommit.forEach(read -> read.completeExceptionally(why));
        awaitingTermCommit.clear();
        byRound.values().forEach(reads -> reads.forEach(read -> read.result().completeExceptionally(why)));
        byRound.clear();
        inFlight = false;
    }

    private long start(long commitIndex) {
        round++;
        inFlight = true;
        List<PendingRead> reads = new ArrayList<>(next.size());
        for (CompletableFuture<Long> read : next) {
            reads.add(new PendingRead(commitIndex, read));
        }
        next.clear();
        byRound.put(round, reads);
        return round;
    }
}
