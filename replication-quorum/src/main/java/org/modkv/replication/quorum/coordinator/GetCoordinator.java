package org.modkv.replication.quorum.coordinator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modkv.replication.quorum.version.DvvSet;

/**
 * Coordinates one read as a pure state machine (no threads, I/O or clock).
 *
 * <p>Asks every home replica of the key ({@link Outbound.Fetch}); a failed one is replaced, with a
 * sloppy quorum, by the next fallback, which answers from its hints. Once R replicas answered the
 * read {@link Outcome#SUCCEEDED succeeds} with the {@link #result() merge} of every answer (all
 * siblings no answer has superseded, and the union of the contexts); it fails once R can no
 * longer be reached. <b>Read repair</b>: when no answer is awaited any more, every home replica
 * that answered with less than the merge of all answers gets {@link Outbound.Repair} with that
 * merge ({@link #onFetched} and {@link #onFailed} return it).
 */
public final class GetCoordinator {
    private final byte[] key;
    private final int r;
    private final ReplicaSlots slots;
    private final Map<String, DvvSet> homeAnswers = new LinkedHashMap<>();
    private DvvSet merged = DvvSet.empty();
    private Outcome outcome = Outcome.PENDING;
    private boolean repaired;

    /**
     * @param fallbacks the nodes after the preference list in the ring's walk, in order
     */
    public GetCoordinator(byte[] key, List<String> preferenceList, List<String> fallbacks, QuorumSettings settings) {
        this.key = key;
        this.r = settings.r();
        this.slots = new ReplicaSlots(preferenceList, fallbacks, settings);
    }

    /** The first messages: a fetch to every home replica (this node's own included: the shell answers it locally). */
    public List<Outbound> start() {
        List<Outbound> out = new ArrayList<>();
        for (ReplicaSlots.Slot s : slots.start()) {
            out.add(new Outbound.Fetch(s.assignee, key, null));
        }
        return out;
    }

    /** {@code node} answered with its {@code state}; returns read repairs once the last answer is in. */
    public List<Outbound> onFetched(String node, DvvSet state) {
        ReplicaSlots.Slot s = slots.pendingOf(node);
        if (s == null || !slots.ack(node)) {
            return List.of();
        }
        if (s.hintFor() == null) {
            homeAnswers.put(node, state);
        }
        merged = merged.merge(state);
        decide();
        return repairsIfDone();
    }

    /** No answer will come from {@code node}: a fetch to its replacement, or read repairs if that was the last one awaited. */
    public List<Outbound> onFailed(String node) {
        ReplicaSlots.Slot s = slots.fail(node);
        decide();
        if (s != null) {
            return List.of(new Outbound.Fetch(s.assignee, key, s.hintFor()));
        }
        return repairsIfDone();
    }

    /** The deadline passed: fail if undecided; returns read repairs for the answers that did come. */
    public List<Outbound> onDeadline() {
        slots.failAllPending();
        if (outcome == Outcome.PENDING) {
            outcome = Outcome.FAILED;
        }
        return repairsIfDone();
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The merge of every answer so far: what a sibling-aware read returns once {@link Outcome#SUCCEEDED}. */
    public DvvSet result() {
        return merged;
    }

    public boolean isFinished() {
        return slots.count(ReplicaSlots.State.PENDING) == 0;
    }

    private void decide() {
        outcome = slots.decide(outcome, r);
    }

    private List<Outbound> repairsIfDone() {
        if (repaired || !isFinished()) {
            return List.of();
        }
        repaired = true;
        List<Outbound> repairs = new ArrayList<>();
        homeAnswers.forEach((node, state) -> {
            if (!state.equals(merged)) {
                repairs.add(new Outbound.Repair(node, key, merged));
            }
        });
        return repairs;
    }
}
