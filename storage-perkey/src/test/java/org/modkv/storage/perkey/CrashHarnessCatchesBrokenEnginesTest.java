package org.modkv.storage.perkey;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.storage.perkey.sabotage.EarlyAckStorageProvider;
import org.modkv.storage.perkey.sabotage.SplitBatchesStorageProvider;
import org.modkv.testkit.crash.CrashWorkload;
import org.modkv.testkit.crash.StorageCrashHarness;

/**
 * The crash tests can fail: the same harness that passes {@code perkey} fails an engine that
 * splits batches and one that acknowledges before writing.
 */
class CrashHarnessCatchesBrokenEnginesTest {
    @Test
    void reportsABatchSplitByTheKill(@TempDir Path dir) {
        StorageCrashHarness harness = StorageCrashHarness.builder(new SplitBatchesStorageProvider(), dir)
                .workload(CrashWorkload.ATOMIC_BATCHES)
                .cycles(1)
                .killAfterAcknowledgements(3, 3)
                .seed(5)
                .build();

        AssertionError e = assertThrows(AssertionError.class, harness::run);

        assertTrue(e.getMessage().contains("partly applied"), e.getMessage());
    }

    @Test
    void reportsAcknowledgedWritesThatAreMissing(@TempDir Path dir) {
        StorageCrashHarness harness = StorageCrashHarness.builder(new EarlyAckStorageProvider(), dir)
                .workload(CrashWorkload.SINGLE_PUTS)
                .cycles(1)
                .killAfterAcknowledgements(200, 200)
                .maxExtraDelayMs(0)
                .seed(6)
                .build();

        AssertionError e = assertThrows(AssertionError.class, harness::run);

        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    }
}
