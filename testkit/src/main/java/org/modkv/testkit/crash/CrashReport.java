package org.modkv.testkit.crash;

/**
 * What a {@link StorageCrashHarness} run did, for a test to log or assert on (e.g. that the
 * children acknowledged anything at all, so the run checked something).
 *
 * @param cycles kill-and-recover cycles run
 * @param acknowledgedPuts single-key puts the children acknowledged
 * @param acknowledgedDeletes single-key deletes the children acknowledged
 * @param acknowledgedBatches atomic batches the children acknowledged
 * @param keysAtEnd live keys after the last recovery
 * @param lastSequence the engine's last sequence after the last recovery
 * @param watchedStatAtKills per cycle, the last value of the stat named by
 *     {@link StorageCrashHarness.Builder#killAfterStat} that the child reported before it was
 *     killed (e.g. how many merges it had done); empty if no stat was watched
 */
public record CrashReport(int cycles, long acknowledgedPuts, long acknowledgedDeletes, long acknowledgedBatches,
                          long keysAtEnd, long lastSequence, java.util.List<Long> watchedStatAtKills) {

    public CrashReport {
        watchedStatAtKills = java.util.List.copyOf(watchedStatAtKills);
    }

    /** All acknowledged writes. */
    public long acknowledgedWrites() {
        return acknowledgedPuts + acknowledgedDeletes + acknowledgedBatches;
    }
}
