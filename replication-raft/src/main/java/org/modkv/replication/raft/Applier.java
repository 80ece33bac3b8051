package org.modkv.replication.raft;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.WriteDecider;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.time.Scheduler;

/**
 * Hands committed entries to the storage engine in log order and tracks how far they are
 * applied. Batches are written with {@link Durability#DURABLE}, so storage holds every applied
 * entry durably and the log may be compacted up to {@link #appliedIndex()}. The commit listener
 * hears of each batch inside its storage completion, which storage calls in sequence order; the
 * applied index then advances on the scheduler over a prefix of completed entries only, so it
 * never passes an entry still being written. Confined to the Raft scheduler.
 *
 * <p>Every write entry is decided by a {@link WriteDecider} in log order: a conditional entry's
 * conditions are checked against the entries before it, and every put is stamped with the entry's
 * index as its version. Nodes apply the same entries in the same order with the same time (the
 * leader's, carried in the entry), so they decide alike.
 */
final class Applier {
    private final RaftLog log;
    private final StorageEngine storage;
    private final CommitListener commits;
    private final Scheduler scheduler;
    private final Consumer<Throwable> onFailure;
    private final LongConsumer onAdvanced;
    private final WriteDecider decider;
    /** Highest index handed to storage (or skipped, for a no-op). */
    private long submittedIndex;
    /** Highest index whose application has completed, with everything before it. */
    private long appliedIndex;
    private long appliedSequence;
    private boolean failed;
    private final ArrayDeque<ApplyTicket> applying = new ArrayDeque<>();
    private final TreeMap<Long, List<LongConsumer>> waiters = new TreeMap<>();

    /**
     * @param onFailure told when storage fails a batch
     * @param onAdvanced told the new applied index whenever it moves
     */
    Applier(RaftLog log, StorageEngine storage, CommitListener commits, Scheduler scheduler,
            Consumer<Throwable> onFailure, LongConsumer onAdvanced) {
        this.log = log;
        this.storage = storage;
        this.commits = commits;
        this.scheduler = scheduler;
        this.onFailure = onFailure;
        this.onAdvanced = onAdvanced;
        this.decider = new WriteDecider(storage::get);
        this.submittedIndex = log.snapshotIndex();
        this.appliedIndex = log.snapshotIndex();
        this.appliedSequence = storage.lastSequence();
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long appliedSequence() {
        return appliedSequence;
    }

    /**
     * Hands every entry up to {@code commitIndex} not yet handed over to storage; the proposal
     * of an entry (a client waiting on this leader), taken from {@code proposalAt}, completes
     * once the entry is applied.
     */
    void applyUpTo(long commitIndex, LongFunction<CompletableFuture<Committed>> proposalAt) throws IOException {
        while (submittedIndex < commitIndex && !failed) {
            long index = submittedIndex + 1;
            byte[] entry = log.entry(index);
            submittedIndex = index;
            ApplyTicket ticket = new ApplyTicket(index);
            applying.add(ticket);
            CompletableFuture<Committed> proposal = proposalAt.apply(index);
            byte kind = LogEntry.kind(entry);
            WriteBatch batch = null;
            if (kind == LogEntry.BATCH) {
                batch = decider.decide(ConditionalWrite.unconditional(LogEntry.writeBatch(entry)), index, 0);
            } else if (kind == LogEntry.CONDITIONAL) {
                batch = decider.decide(LogEntry.conditionalWrite(entry), index, LogEntry.proposedAtMillis(entry));
            }
            if (batch == null) {
                // A no-op, or a conditional write whose conditions did not hold: nothing to store.
                ticket.done = true;
                ticket.sequence = -1;
                if (proposal != null) {
                    proposal.complete(new Committed(index, appliedSequence, false));
                }
                continue;
            }
            WriteBatch decided = batch;
            storage.submit(decided, Durability.DURABLE, (sequence, error) -> {
                decider.completed(index);
                if (error == null) {
                    commits.committed(sequence, decided);
                }
                scheduler.execute(() -> onStored(ticket, proposal, sequence, error));
            });
        }
        advance();
    }

    private void onStored(ApplyTicket ticket, CompletableFuture<Committed> proposal, long sequence, Throwable error) {
        if (error != null) {
            failed = true;
            if (proposal != null) {
                proposal.completeExceptionally(error);
            }
            onFailure.accept(error);
            return;
        }
        ticket.sequence = sequence;
        ticket.done = true;
        if (proposal != null) {
            proposal.complete(new Committed(ticket.index, sequence, true));
        }
        advance();
    }

    /** Runs {@code then} with the applied sequence once entries up to {@code index} are applied. */
    void whenApplied(long index, LongConsumer then) {
        if (appliedIndex >= index) {
            then.accept(appliedSequence);
        } else {
            waiters.computeIfAbsent(index, k -> new ArrayList<>()).add(then);
        }
    }

    /** Storage was replaced by a snapshot ending at {@code index}. */
    void resetTo(long index) {
        submittedIndex = index;
        appliedIndex = index;
        appliedSequence = storage.lastSequence();
        applying.clear();
        decider.reset();
        advance();
    }

    /** Forgets every waiter (their requests were failed by the caller). */
    void clearWaiters() {
        waiters.clear();
    }

    private void advance() {
        long before = appliedIndex;
        while (!applying.isEmpty() && applying.peekFirst().done) {
            ApplyTicket ticket = applying.pollFirst();
            appliedIndex = ticket.index;
            if (ticket.sequence >= 0) {
                appliedSequence = ticket.sequence;
            }
        }
        while (!waiters.isEmpty() && waiters.firstKey() <= appliedIndex) {
            for (LongConsumer waiter : waiters.pollFirstEntry().getValue()) {
                waiter.accept(appliedSequence);
            }
        }
        if (appliedIndex != before) {
            onAdvanced.accept(appliedIndex);
        }
    }
}
