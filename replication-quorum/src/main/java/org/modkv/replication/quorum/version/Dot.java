package org.modkv.replication.quorum.version;

import java.util.Objects;

/**
 * One write event: the {@code counter}-th event issued by {@code node}. Every sibling carries the
 * dot of the write that created it; no two writes share a dot (see {@link DvvSet#update}).
 */
public record Dot(String node, long counter) implements Comparable<Dot> {
    public Dot {
        Objects.requireNonNull(node, "node");
        if (counter < 1) {
            throw new IllegalArgumentException("a dot's counter starts at 1, got " + counter + " for node " + node);
        }
    }

    @Override
    public int compareTo(Dot o) {
        int c = node.compareTo(o.node);
        return c != 0 ? c : Long.compare(counter, o.counter);
    }

    @Override
    public String toString() {
        return node + ":" + counter;
    }
}
