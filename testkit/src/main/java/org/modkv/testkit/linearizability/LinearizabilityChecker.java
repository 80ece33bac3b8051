package org.modkv.testkit.linearizability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that a history of reads and writes on a key-value store is linearizable: that there is
 * one order of all operations, consistent with real time (an operation that completed before
 * another was invoked comes first), in which every read returns the value of the latest write
 * before it (or nothing, before any write). Keys are independent registers and linearizability
 * is local, so each key is checked on its own.
 *
 * <p>The search is Wing and Gong's, with Lowe's memoization of (operations linearized, state)
 * pairs already explored, as in Knossos and Porcupine. A write whose outcome is unknown ends at
 * infinity: it may take effect at any point after its invocation, or (being ordered last) never.
 * Every key starts absent.
 *
 * <p>Unknown writes multiply the orders to try, so those no read can have seen are left out
 * first: an unknown write of a value that no read of its key returned. This loses nothing when
 * written values are unique (as histories should make them): if it took effect, no read came
 * between it and the next write, so removing it from a linearization leaves every read legal;
 * and a linearization without it is one with it placed last. Unknown deletes are kept.
 */
public final class LinearizabilityChecker {
    /** Most (linearized set, state) pairs explored for one key before giving up. */
    public static final int MAX_EXPLORED = 2_000_000;

    private LinearizabilityChecker() {
    }

    /** The outcome: empty when linearizable, otherwise a description of the first key that is not. */
    public static Optional<String> check(List<RegisterOperation> history) {
        Map<String, List<RegisterOperation>> byKey = history.stream().collect(Collectors.groupingBy(
                RegisterOperation::key, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<RegisterOperation>> key : byKey.entrySet()) {
            if (!linearizable(withoutUnseenUnknownWrites(key.getValue()))) {
                List<RegisterOperation> sorted = new ArrayList<>(key.getValue());
                sorted.sort(Comparator.comparingLong(RegisterOperation::invokedNanos));
                return Optional.of("key " + key.getKey() + " is not linearizable; its " + sorted.size()
                        + " operations by invocation:\n  " + sorted.stream().map(Object::toString)
                        .collect(Collectors.joining("\n  ")));
            }
        }
        return Optional.empty();
    }

    private static List<RegisterOperation> withoutUnseenUnknownWrites(List<RegisterOperation> ops) {
        Set<String> read = new HashSet<>();
        for (RegisterOperation op : ops) {
            if (op.kind() == RegisterOperation.Kind.READ && op.value() != null) {
                read.add(op.value());
            }
        }
        List<RegisterOperation> kept = new ArrayList<>(ops.size());
        for (RegisterOperation op : ops) {
            boolean unseenUnknownWrite = op.kind() == RegisterOperation.Kind.WRITE
                    && op.completedNanos() == RegisterOperation.UNKNOWN && op.value() != null && !read.contains(op.value());
            if (!unseenUnknownWrite) {
                kept.add(op);
            }
        }
        return kept;
    }

    /** A call or return event of one operation, in a doubly linked list ordered by time. */
    private static final class Event {
        final int op;
        final boolean call;
        final long time;
        Event match;
        Event prev;
        Event next;

        Event(int op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }
    }

    private record Explored(BitSet linearized, String state) {
    }

    private record Frame(Event call, String state) {
    }

    static boolean linearizable(List<RegisterOperation> ops) {
        List<Event> events = new ArrayList<>(2 * ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Event call = new Event(i, true, ops.get(i).invokedNanos());
            Event ret = new Event(i, false, ops.get(i).completedNanos());
            call.match = ret;
            events.add(call);
            events.add(ret);
        }
        // By time; at equal times calls first, so touching operations count as concurrent.
        events.sort(Comparator.comparingLong((Event e) -> e.time).thenComparing(e -> !e.call));
        Event head = new Event(-1, true, Long.MIN_VALUE);
        Event last = head;
        for (Event event : events) {
            last.next = event;
            event.prev = last;
            last = event;
        }

        BitSet linearized = new BitSet(ops.size());
        Set<Explored> explored = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        String state = null;
        Event entry = head.next;
        while (head.next != null) {
            if (entry == null) {
                return false;
            }
            if (entry.call) {
                RegisterOperation op = ops.get(entry.op);
                String next = op.kind() == RegisterOperation.Kind.WRITE ? op.value() : state;
                boolean legal = op.kind() == RegisterOperation.Kind.WRITE || Objects.equals(op.value(), state);
                if (legal) {
                    BitSet tried = (BitSet) linearized.clone();
                    tried.set(entry.op);
                    if (explored.size() >= MAX_EXPLORED) {
                        throw new IllegalStateException("history of " + ops.size() + " operations on one key is too large"
                                + " to check: more than " + MAX_EXPLORED + " partial orders explored; give the test more"
                                + " keys or fewer overlapping operations");
                    }
                    if (explored.add(new Explored(tried, next))) {
                        stack.push(new Frame(entry, state));
                        state = next;
                        linearized.set(entry.op);
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else {
                // A return before its call was linearized: undo the last choice and try the next.
                if (stack.isEmpty()) {
                    return false;
                }
                Frame frame = stack.pop();
                state = frame.state();
                linearized.clear(frame.call().op);
                unlift(frame.call());
                entry = frame.call().next;
            }
        }
        return true;
    }

    private static void lift(Event call) {
        call.prev.next = call.next;
        if (call.next != null) {
            call.next.prev = call.prev;
        }
        Event ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    private static void unlift(Event call) {
        Event ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        if (call.next != null) {
            call.next.prev = call;
        }
    }
}
