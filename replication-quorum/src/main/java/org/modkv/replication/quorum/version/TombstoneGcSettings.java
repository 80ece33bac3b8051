package org.modkv.replication.quorum.version;

/**
 * The times that make collecting a tombstone safe (docs/design/quorum.md, "Tombstone
 * collection"). A tombstone is collected {@code graceMillis} after every replica of its key has
 * acknowledged holding it; until then, an older version may still wait in a hint (dropped
 * {@code hintTtlMillis} after the time its content was read) or travel in a message (for up to
 * {@code maxMessageAgeMillis}); a replica refuses any state read longer ago than
 * {@link #maxStateAgeMillis()}. So the grace must cover both, or a stale copy could arrive after
 * the tombstone is gone and bring the key back.
 */
public record TombstoneGcSettings(long graceMillis, long hintTtlMillis, long maxMessageAgeMillis) {
    /** Defaults: a hint lives 3 hours, a message 1 minute, a tombstone's grace is 4 hours. */
    public static final TombstoneGcSettings DEFAULTS = new TombstoneGcSettings(4 * 3_600_000L, 3 * 3_600_000L, 60_000L);

    public TombstoneGcSettings {
        if (hintTtlMillis < 1 || maxMessageAgeMillis < 1) {
            throw new IllegalArgumentException("the hint TTL and the maximum message age are at least 1 ms, got "
                    + hintTtlMillis + " and " + maxMessageAgeMillis);
        }
        if (graceMillis < hintTtlMillis + maxMessageAgeMillis) {
            throw new IllegalArgumentException("the tombstone grace period (" + graceMillis
                    + " ms) must be at least the hint TTL plus the maximum message age (" + hintTtlMillis + " + "
                    + maxMessageAgeMillis + " ms), or a stale copy could resurrect a deleted key");
        }
    }

    /**
     * The oldest state a replica accepts from another node: a hint may be handed off until it is
     * {@code hintTtlMillis} old, and then travel for up to {@code maxMessageAgeMillis}.
     */
    public long maxStateAgeMillis() {
        return hintTtlMillis + maxMessageAgeMillis;
    }
}
