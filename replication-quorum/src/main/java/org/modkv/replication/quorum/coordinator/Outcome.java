package org.modkv.replication.quorum.coordinator;

/** Where a coordinated request stands. Once SUCCEEDED or FAILED it never changes. */
public enum Outcome {
    PENDING,
    /** Enough replicas answered (R for a read, W durable for a write). */
    SUCCEEDED,
    /** Too many replicas failed, or the deadline passed, before enough answered. */
    FAILED
}
