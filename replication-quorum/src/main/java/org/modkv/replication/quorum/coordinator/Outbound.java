package org.modkv.replication.quorum.coordinator;

import org.modkv.replication.quorum.version.DvvSet;

/**
 * A message a coordinator wants sent. The shell sends it, and reports back the reply
 * ({@code onStored}, {@code onFetched}) or that none will come ({@code onFailed}: a timeout, an
 * unreachable or down node). Keys are never copied; callers must not modify them.
 */
public sealed interface Outbound {
    /** The node the message goes to. */
    String target();

    /**
     * Merge {@code state} into the target's copy of {@code key} and reply once it is durable.
     * {@code hintFor} is null when the target is a home replica of the key; otherwise the target
     * stands in for that home replica and keeps the state as a hint for it.
     */
    record Store(String target, byte[] key, DvvSet state, String hintFor) implements Outbound {
    }

    /** Reply with the target's state of {@code key} (its hint for {@code hintFor}, when not null). */
    record Fetch(String target, byte[] key, String hintFor) implements Outbound {
    }

    /** Read repair: merge {@code state} into the target's copy of {@code key}; no reply expected. */
    record Repair(String target, byte[] key, DvvSet state) implements Outbound {
    }
}
