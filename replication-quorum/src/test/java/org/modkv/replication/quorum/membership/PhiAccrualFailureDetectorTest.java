package org.modkv.replication.quorum.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Synthetic heartbeat sequences (seeded jitter) and what phi says about the silences after them. */
class PhiAccrualFailureDetectorTest {
    private static final long MS = 1_000_000L;

    private static long feed(PhiAccrualFailureDetector detector, Random random, long start, int beats, long intervalMs,
            long jitterMs) {
        long t = start;
        for (int i = 0; i < beats; i++) {
            t += (intervalMs + (jitterMs == 0 ? 0 : random.nextLong(-jitterMs, jitterMs + 1))) * MS;
            detector.heartbeat(t);
        }
        return t;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void regularHeartbeatsKeepAPeerUpAndALongSilenceTakesItDown(long seed) {
        PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS);
        long last = feed(detector, new Random(seed), 0, 200, 1000, 50);
        assertTrue(detector.phi(last + 1000 * MS) < 1, "one interval late is not suspicious");
        assertTrue(detector.isAvailable(last + 1200 * MS));
        assertFalse(detector.isAvailable(last + 5000 * MS), "five intervals of silence is a failure");
        double previous = -1;
        for (long gap = 0; gap <= 6000; gap += 50) {
            double phi = detector.phi(last + gap * MS);
            assertTrue(phi >= previous, "phi never falls while the silence grows: at " + gap + " ms " + phi + " < " + previous);
            previous = phi;
        }
    }

    @Test
    void anIrregularPeerIsGivenMoreSlackThanARegularOne() {
        PhiAccrualFailureDetector regular = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS);
        PhiAccrualFailureDetector irregular = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS);
        long a = feed(regular, new Random(1), 0, 300, 1000, 20);
        long b = feed(irregular, new Random(1), 0, 300, 1000, 900);
        long gap = 2500 * MS;
        assertTrue(irregular.phi(b + gap) < regular.phi(a + gap));
        assertTrue(irregular.isAvailable(b + gap));
        assertFalse(regular.isAvailable(a + gap));
    }

    @Test
    void theEstimateForgetsIntervalsOlderThanTheSampleWindow() {
        PhiAccrualSettings settings = new PhiAccrualSettings(8.0, 50, 500 * MS, 0, 1000 * MS);
        PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(settings);
        long t = feed(detector, new Random(2), 0, 100, 2000, 0);
        assertTrue(detector.isAvailable(t + 3000 * MS));
        t = feed(detector, new Random(2), t, 50, 100, 0);
        assertEquals(100 * MS, detector.meanIntervalNanos(), 1.0);
        assertFalse(detector.isAvailable(t + 3000 * MS), "the slow past is forgotten: 3 s is now a long silence");
    }

    @Test
    void anAcceptablePauseDelaysSuspicionAndBeforeAnyHeartbeatThePeerCountsAsUp() {
        PhiAccrualFailureDetector strict = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS);
        PhiAccrualFailureDetector lenient = new PhiAccrualFailureDetector(
                new PhiAccrualSettings(8.0, 1000, 100 * MS, 3000 * MS, 1000 * MS));
        assertFalse(strict.isMonitoring());
        assertEquals(0.0, strict.phi(123));
        assertTrue(strict.isAvailable(Long.MAX_VALUE));
        long a = feed(strict, new Random(3), 0, 100, 1000, 10);
        long b = feed(lenient, new Random(3), 0, 100, 1000, 10);
        assertFalse(strict.isAvailable(a + 3500 * MS));
        assertTrue(lenient.isAvailable(b + 3500 * MS));
        strict.heartbeat(a - 5 * MS); // late, out of order: ignored
        assertFalse(strict.isAvailable(a + 3500 * MS));
    }

    @Test
    void refusesSettingsOutsideTheirRanges() {
        assertEquals("the phi threshold must be a positive number, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new PhiAccrualSettings(0, 10, 1, 0, 1)).getMessage());
        assertEquals("the sample size must be between 2 and 100000, got 1",
                assertThrows(IllegalArgumentException.class, () -> new PhiAccrualSettings(8, 1, 1, 0, 1)).getMessage());
    }
}
