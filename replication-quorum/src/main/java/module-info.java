/**
 * Masterless, Dynamo-style quorum replication: for now its pure, deterministic core (the ring,
 * dotted version vectors, resolution and tombstone collection, Merkle-tree anti-entropy, request
 * coordinators, the phi-accrual failure detector and the per-node replica). No threads, no I/O,
 * no clock inside: the plugin shell that wires it to the api arrives with the rest of issue #16
 * (docs/design/quorum.md, "Wiring still to do"). Exports nothing yet.
 */
module org.modkv.replication.quorum {
    requires org.modkv.api;
}
