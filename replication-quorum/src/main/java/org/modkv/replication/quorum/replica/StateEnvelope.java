package org.modkv.replication.quorum.replica;

import org.modkv.replication.quorum.version.DvvSet;

/**
 * A key's state as it travels between nodes, with the time its content was read from a replica's
 * store ({@code stateTimeMillis}; for a merge of several, the oldest). A receiver refuses states
 * older than {@link org.modkv.replication.quorum.version.TombstoneGcSettings#maxStateAgeMillis()},
 * which is what makes collecting tombstones safe.
 */
public record StateEnvelope(Key key, DvvSet state, long stateTimeMillis) {
}
