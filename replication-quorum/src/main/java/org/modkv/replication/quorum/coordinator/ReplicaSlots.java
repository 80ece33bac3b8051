package org.modkv.replication.quorum.coordinator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The N places a request must reach: one slot per home replica of the key. A slot is pending
 * until its node answers (acked) or fails; with a sloppy quorum a failed slot moves to the next
 * unused fallback of the ring's walk, which then stands in for the slot's home node.
 */
final class ReplicaSlots {
    enum State { PENDING, ACKED, FAILED }

    static final class Slot {
        final String home;
        String assignee;
        State state = State.PENDING;

        Slot(String home) {
            this.home = home;
            this.assignee = home;
        }

        /** The home node this slot's assignee stands in for, or null when it is the home node itself. */
        String hintFor() {
            return assignee.equals(home) ? null : home;
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final List<String> fallbacks;
    private final Set<String> used = new LinkedHashSet<>();
    private final boolean sloppy;
    private boolean started;

    ReplicaSlots(List<String> preferenceList, List<String> fallbacks, QuorumSettings settings) {
        if (preferenceList.size() != settings.n()) {
            throw new IllegalArgumentException("the preference list " + preferenceList + " does not hold n="
                    + settings.n() + " nodes");
        }
        for (String home : preferenceList) {
            if (!used.add(home)) {
                throw new IllegalArgumentException("node " + home + " appears twice in the preference list " + preferenceList);
            }
            slots.add(new Slot(home));
        }
        this.fallbacks = List.copyOf(fallbacks);
        this.sloppy = settings.sloppy();
    }

    /** The slots to send the first messages to (the pending ones); once per request. */
    List<Slot> start() {
        if (started) {
            throw new IllegalStateException("start() was already called");
        }
        started = true;
        return slots.stream().filter(s -> s.state == State.PENDING).toList();
    }

    /** The pending slot {@code node} is assigned to, or null. */
    Slot pendingOf(String node) {
        for (Slot s : slots) {
            if (s.state == State.PENDING && s.assignee.equals(node)) {
                return s;
            }
        }
        return null;
    }

    /** Marks {@code node}'s pending slot acked; false if it had none (a duplicate or late reply). */
    boolean ack(String node) {
        Slot s = pendingOf(node);
        if (s == null) {
            return false;
        }
        s.state = State.ACKED;
        return true;
    }

    /**
     * {@code node} will not answer: its pending slot moves to the next unused fallback (returned,
     * still pending) or, without one or without a sloppy quorum, fails (null returned).
     */
    Slot fail(String node) {
        Slot s = pendingOf(node);
        if (s == null) {
            return null;
        }
        if (sloppy) {
            for (String fallback : fallbacks) {
                if (used.add(fallback)) {
                    s.assignee = fallback;
                    return s;
                }
            }
        }
        s.state = State.FAILED;
        return null;
    }

    /** Every pending slot fails at once (the request's deadline passed); no fallbacks are tried. */
    void failAllPending() {
        for (Slot s : slots) {
            if (s.state == State.PENDING) {
                s.state = State.FAILED;
            }
        }
    }

    /**
     * The outcome once {@code needed} slots must be acked: {@code current} if already decided,
     * SUCCEEDED once enough are acked, FAILED once too few are acked or pending to get there.
     */
    Outcome decide(Outcome current, int needed) {
        if (current != Outcome.PENDING) {
            return current;
        }
        int acked = count(State.ACKED);
        if (acked >= needed) {
            return Outcome.SUCCEEDED;
        }
        return acked + count(State.PENDING) < needed ? Outcome.FAILED : Outcome.PENDING;
    }

    int count(State state) {
        int c = 0;
        for (Slot s : slots) {
            if (s.state == state) {
                c++;
            }
        }
        return c;
    }
}
