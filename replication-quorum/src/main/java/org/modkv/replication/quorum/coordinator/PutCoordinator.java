package org.modkv.replication.quorum.coordinator;

import java.util.ArrayList;
import java.util.List;
import org.modkv.replication.quorum.version.DvvSet;

/**
 * Coordinates one write (a put or a delete) on a home replica of its key, as a pure state
 * machine: no threads, no I/O, no clock. Inputs are replies and failures reported by the shell;
 * outputs are {@link Outbound} messages and the {@link #outcome()}.
 *
 * <p>Protocol (Dynamo section 4.5, with Riak's coordinating vnode): the shell first applies the
 * write to the local replica ({@code DvvSet.update} with the client's context and a fresh dot of
 * this node) and makes it durable; that counts as the first of W acknowledgements. The resulting
 * state goes to the other home replicas as {@link Outbound.Store}. Each durable reply is one more
 * acknowledgement; at W the write {@link Outcome#SUCCEEDED succeeds}. A replica that fails
 * (timeout, unreachable) is replaced, with a sloppy quorum, by the next fallback of the ring's
 * walk, which stores the state as a hint for it ({@link #hints()}) and counts towards W; without
 * one the slot fails, and once W can no longer be reached the write {@link Outcome#FAILED fails}.
 * After the outcome is decided the coordinator keeps placing the remaining copies (so that N
 * replicas or hints end up holding it) until no slot is pending ({@link #isFinished()}).
 */
public final class PutCoordinator {
    private final byte[] key;
    private final DvvSet state;
    private final int w;
    private final ReplicaSlots slots;
    private final List<HintRecord> hints = new ArrayList<>();
    private Outcome outcome = Outcome.PENDING;

    /**
     * @param self this node, which must be in {@code preferenceList} and already holds {@code state} durably
     * @param fallbacks the nodes after the preference list in the ring's walk, in order
     */
    public PutCoordinator(byte[] key, DvvSet state, String self, List<String> preferenceList, List<String> fallbacks,
            QuorumSettings settings) {
        if (!preferenceList.contains(self)) {
            throw new IllegalArgumentException("node " + self + " cannot coordinate a write to a key whose replicas are "
                    + preferenceList + ": forward it to one of them");
        }
        this.key = key;
        this.state = state;
        this.w = settings.w();
        this.slots = new ReplicaSlots(preferenceList, fallbacks, settings);
        this.slots.ack(self);
    }

    /** The first messages: the state to every other home replica. Call once. */
    public List<Outbound> start() {
        List<Outbound> out = new ArrayList<>();
        for (ReplicaSlots.Slot s : slots.start()) {
            out.add(new Outbound.Store(s.assignee, key, state, null));
        }
        decide();
        return out;
    }

    /** {@code node} has the state durable. Duplicate or unexpected replies are ignored. */
    public void onStored(String node) {
        ReplicaSlots.Slot s = slots.pendingOf(node);
        if (s != null && slots.ack(node) && s.hintFor() != null) {
            hints.add(new HintRecord(node, s.hintFor()));
        }
        decide();
    }

    /** No reply will come from {@code node}; returns the store to its replacement, if there is one. */
    public List<Outbound> onFailed(String node) {
        ReplicaSlots.Slot s = slots.fail(node);
        decide();
        return s == null ? List.of() : List.of(new Outbound.Store(s.assignee, key, state, s.hintFor()));
    }

    /** The request's deadline passed: fail if undecided, and stop waiting for anyone. */
    public void onDeadline() {
        slots.failAllPending();
        if (outcome == Outcome.PENDING) {
            outcome = Outcome.FAILED;
        }
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether no reply is awaited any more. */
    public boolean isFinished() {
        return slots.count(ReplicaSlots.State.PENDING) == 0;
    }

    /** How many replicas (home or standing in) have the write durable, this node included. */
    public int acknowledgements() {
        return slots.count(ReplicaSlots.State.ACKED);
    }

    /** The fallbacks that acknowledged the write as a hint, and for whom. */
    public List<HintRecord> hints() {
        return List.copyOf(hints);
    }

    /** The state this write replicates: the client's reply carries its context. */
    public DvvSet state() {
        return state;
    }

    private void decide() {
        outcome = slots.decide(outcome, w);
    }
}
