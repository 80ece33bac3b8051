package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Back-off, warning rate limit and figures of failing merges, on a clock the test moves. */
class MergeFailuresTest {
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final IOException DISK = new IOException("No space left on device");

    @Test
    void backsOffDoublingTheIntervalUpToFiveMinutes() {
        MergeFailures failures = new MergeFailures("/data/storage-wal", INTERVAL_NS);
        assertEquals(INTERVAL_NS, failures.retryDelayNs());
        long[] expectedSeconds = {20, 40, 80, 160, 300, 300};
        for (long seconds : expectedSeconds) {
            failures.failed(DISK, 0);
            assertEquals(TimeUnit.SECONDS.toNanos(seconds), failures.retryDelayNs());
        }
        for (int i = 0; i < 100; i++) {
            failures.failed(DISK, 0);
        }
        assertEquals(MergeFailures.MAX_BACKOFF_NS, failures.retryDelayNs(), "no overflow after many failures");

        failures.succeeded();
        assertEquals(INTERVAL_NS, failures.retryDelayNs(), "back to the interval once a merge succeeds");
    }

    @Test
    void anIntervalLongerThanTheCapIsKept() {
        MergeFailures failures = new MergeFailures("/d", TimeUnit.MINUTES.toNanos(10));
        failures.failed(DISK, 0);
        assertEquals(TimeUnit.MINUTES.toNanos(10), failures.retryDelayNs());
    }

    @Test
    void warnsAtTheFirstFailureThenAtMostOnceAMinuteSayingHowManyItHeldBack() {
        MergeFailures failures = new MergeFailures("/data/storage-wal", INTERVAL_NS);
        long now = 1_000;
        String first = failures.failed(DISK, now);
        assertNotNull(first);
        assertTrue(first.contains("/data/storage-wal") && first.contains("No space left on device")
                && first.contains("merge_reclaiming:no") && first.contains("Next attempt in 20000 ms"), first);

        for (int i = 0; i < 5; i++) {
            now += TimeUnit.SECONDS.toNanos(10);
            assertNull(failures.failed(DISK, now), "held back within the minute");
        }
        now += TimeUnit.SECONDS.toNanos(10);
        String again = failures.failed(DISK, now);
        assertNotNull(again, "a minute after the last warning");
        assertTrue(again.contains("7 times in a row") && again.contains("5 failures not logged"), again);

        String ok = failures.succeeded();
        assertNotNull(ok);
        assertTrue(ok.contains("after 7 failed attempts"), ok);
        assertNull(failures.succeeded(), "nothing to say when merges kept working");
    }

    @Test
    void keepsTheFiguresForTheStats() {
        MergeFailures failures = new MergeFailures("/d", INTERVAL_NS);
        assertTrue(failures.reclaiming());
        assertEquals("none", failures.lastError());

        failures.failed(new IOException("x".repeat(1000)), 0);
        failures.failed(DISK, 1);
        assertFalse(failures.reclaiming());
        assertEquals(2, failures.failures());
        assertEquals(2, failures.failuresInARow());
        assertEquals("java.io.IOException: No space left on device", failures.lastError());

        failures.succeeded();
        failures.failed(new IllegalStateException("y".repeat(1000)), 2);
        failures.succeeded();
        assertTrue(failures.reclaiming());
        assertEquals(3, failures.failures());
        assertEquals(0, failures.failuresInARow());
        assertEquals(MergeFailures.MAX_ERROR_CHARS, failures.lastError().length(), "a long message is cut");
    }
}
