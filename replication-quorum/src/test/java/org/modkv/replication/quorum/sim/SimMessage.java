package org.modkv.replication.quorum.sim;

import java.util.List;
import org.modkv.replication.quorum.antientropy.HashRange;
import org.modkv.replication.quorum.antientropy.MerkleTree;
import org.modkv.replication.quorum.replica.Key;
import org.modkv.replication.quorum.replica.StateEnvelope;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.VersionVector;

/** The peer messages of the simulated quorum cluster (objects: the simulation needs no wire format). */
sealed interface SimMessage {
    record Store(long id, StateEnvelope envelope, String hintFor) implements SimMessage {
    }

    record Stored(long id) implements SimMessage {
    }

    record Fetch(long id, Key key, String hintFor) implements SimMessage {
    }

    record Fetched(long id, DvvSet state) implements SimMessage {
    }

    record Repair(StateEnvelope envelope) implements SimMessage {
    }

    record Handoff(long id, StateEnvelope envelope) implements SimMessage {
    }

    record HandedOff(long id) implements SimMessage {
    }

    /** Anti-entropy: a snapshot of the sender's tree for the receiver. */
    record TreeOffer(MerkleTree tree) implements SimMessage {
    }

    /** Anti-entropy: the sender's states in {@code ranges}; {@code answer} asks for the receiver's in return. */
    record Exchange(List<HashRange> ranges, List<StateEnvelope> states, boolean answer) implements SimMessage {
    }

    record TombstoneQuery(Key key) implements SimMessage {
    }

    record TombstoneReport(Key key, VersionVector context) implements SimMessage {
    }
}
