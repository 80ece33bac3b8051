package org.modkv.storage.perkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.testkit.crash.CrashReport;
import org.modkv.testkit.crash.CrashWorkload;
import org.modkv.testkit.crash.StorageCrashHarness;

/**
 * kill -9 of a real writer process (the testkit {@link StorageCrashHarness}) during single
 * writes and atomic batches, then recovery in this JVM: every acknowledged write is present,
 * no batch is partial. With the default {@code perkey.ack=files} every write waits for a flush,
 * so kills land inside flushes (key files half renamed, checkpoint not yet written) as well as
 * inside intent writes; with {@code perkey.ack=intent}, {@code perkey.flush.delay.ms=0} keeps
 * the flusher as busy.
 */
class PerKeyCrashTest {
    private static final Map<String, String> BUSY_FLUSHER = Map.of("perkey.ack", "intent",
            "perkey.flush.delay.ms", "0");

    @Test
    void everyAcknowledgedSingleWriteSurvivesKillNine(@TempDir Path dir) throws Exception {
        CrashReport report = StorageCrashHarness.builder(new PerKeyStorageProvider(), dir)
                .workload(CrashWorkload.SINGLE_PUTS)
                .cycles(3)
                .seed(11)
                .build()
                .run();

        assertEquals(3, report.cycles());
        assertTrue(report.acknowledgedPuts() > 0 && report.acknowledgedDeletes() > 0, report.toString());
    }

    @Test
    void noAtomicBatchIsPartialAfterKillNine(@TempDir Path dir) throws Exception {
        assertThreeCyclesOfBatches(dir, Map.of(), 12);
    }

    @Test
    void noAtomicBatchIsPartialAfterKillNineWhenAcknowledgedAtTheIntent(@TempDir Path dir) throws Exception {
        assertThreeCyclesOfBatches(dir, BUSY_FLUSHER, 15);
    }

    private static void assertThreeCyclesOfBatches(Path dir, Map<String, String> config, long seed) throws Exception {
        CrashReport report = StorageCrashHarness.builder(new PerKeyStorageProvider(), dir)
                .workload(CrashWorkload.ATOMIC_BATCHES)
                .config(config)
                .cycles(3)
                .seed(seed)
                .build()
                .run();

        assertEquals(3, report.cycles());
        assertTrue(report.acknowledgedBatches() > 0, report.toString());
    }

    @Test
    @Tag("soak")
    void soakSingleWritesAndBatchesWithDefaultConfig(@TempDir Path dir) throws Exception {
        CrashReport report = StorageCrashHarness.builder(new PerKeyStorageProvider(), dir)
                .workload(CrashWorkload.MIXED)
                .cycles(25)
                .seed(13)
                .killAfterAcknowledgements(20, 1500)
                .maxExtraDelayMs(200)
                .build()
                .run();

        assertTrue(report.acknowledgedPuts() > 0 && report.acknowledgedBatches() > 0, report.toString());
    }

    @Test
    @Tag("soak")
    void soakAtomicBatchesWithABusyFlusher(@TempDir Path dir) throws Exception {
        CrashReport report = StorageCrashHarness.builder(new PerKeyStorageProvider(), dir)
                .workload(CrashWorkload.ATOMIC_BATCHES)
                .config(BUSY_FLUSHER)
                .batchSlots(64)
                .cycles(25)
                .seed(14)
                .killAfterAcknowledgements(5, 300)
                .build()
                .run();

        assertTrue(report.acknowledgedBatches() > 0, report.toString());
    }
}
