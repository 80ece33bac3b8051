package org.modkv.replication.quorum.coordinator;

/** A write acknowledged by {@code fallback} in place of {@code home}: the fallback holds a hint to hand back. */
public record HintRecord(String fallback, String home) {
}
