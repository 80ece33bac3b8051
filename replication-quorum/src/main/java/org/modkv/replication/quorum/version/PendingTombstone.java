package org.modkv.replication.quorum.version;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One replica's record of a tombstone it wants to collect: which replicas of the key have
 * acknowledged holding it, and since when all have. Pure: time arrives as an argument.
 *
 * <p>The rule ({@link #collectible}): the local state is still exactly this tombstone (a later
 * write or a concurrent value makes it something else), every node of the key's preference list
 * has reported a context that has seen the tombstone, and {@link TombstoneGcSettings#graceMillis}
 * have passed since the last of those reports. A replica that holds the key on durable storage
 * must only acknowledge after the tombstone is durable there.
 */
public final class PendingTombstone {
    private final DvvSet tombstone;
    private final List<String> preferenceList;
    private final Set<String> acknowledged = new HashSet<>();
    private long allAcknowledgedAtMillis = -1;

    /**
     * @throws IllegalArgumentException if {@code tombstone} holds a live value
     */
    public PendingTombstone(DvvSet tombstone, List<String> preferenceList) {
        if (!tombstone.isTombstoneOnly()) {
            throw new IllegalArgumentException("only a state of tombstones can be collected, got " + tombstone);
        }
        this.tombstone = tombstone;
        this.preferenceList = List.copyOf(preferenceList);
    }

    public DvvSet tombstone() {
        return tombstone;
    }

    /** {@code node} reported its context for the key at {@code nowMillis}; it counts if it has seen the tombstone. */
    public void acknowledge(String node, VersionVector replicaContext, long nowMillis) {
        if (!preferenceList.contains(node) || !replicaContext.dominates(tombstone.context())) {
            return;
        }
        if (acknowledged.add(node) && acknowledged.size() == preferenceList.size()) {
            allAcknowledgedAtMillis = nowMillis;
        }
    }

    /** The preference-list nodes that have not acknowledged yet. */
    public List<String> missing() {
        return preferenceList.stream().filter(n -> !acknowledged.contains(n)).toList();
    }

    public boolean allAcknowledged() {
        return allAcknowledgedAtMillis >= 0;
    }

    /** Whether the key may now be removed from this replica; see the class comment. */
    public boolean collectible(DvvSet localState, long nowMillis, TombstoneGcSettings settings) {
        return localState.equals(tombstone) && allAcknowledged()
                && nowMillis - allAcknowledgedAtMillis >= settings.graceMillis();
    }
}
