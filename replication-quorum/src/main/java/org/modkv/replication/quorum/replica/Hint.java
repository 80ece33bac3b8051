package org.modkv.replication.quorum.replica;

import org.modkv.replication.quorum.version.DvvSet;

/**
 * A state a fallback keeps for a home replica that could not take it. {@code stateTimeMillis}
 * is the oldest read time of anything merged into it: the hint expires {@code hintTtl} after it
 * (see {@link org.modkv.replication.quorum.version.TombstoneGcSettings}).
 */
public record Hint(DvvSet state, long stateTimeMillis) {
}
