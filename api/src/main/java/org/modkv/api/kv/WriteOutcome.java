package org.modkv.api.kv;

/**
 * What became of a conditional write.
 *
 * @param applied whether every condition held and the writes were applied
 * @param version the revision the applied writes carry as their keys' version; 0 when not applied
 * @param sequence the local storage sequence once applied here (for index freshness); -1 when not
 *     applied
 */
public record WriteOutcome(boolean applied, long version, long sequence) {
    /** A write whose conditions did not hold: nothing was written. */
    public static final WriteOutcome NOT_APPLIED = new WriteOutcome(false, 0, -1);
}
