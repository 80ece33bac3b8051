package org.modkv.bench.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LagBucketsTest {
    private static final Map<String, String> BEFORE = Map.of("fulltext.lag_count", "1000",
            "fulltext.lag_le_5ms", "100", "fulltext.lag_le_50ms", "200", "fulltext.lag_le_500ms", "1000",
            "other.lag_le_5ms", "7");

    @Test
    void percentilesOfTheLagsBetweenTwoSnapshotsOnly() {
        // 1000 lags recorded in between: 980 within 5 ms, 10 more within 50 ms, the rest past 500 ms
        Map<String, String> after = Map.of("fulltext.lag_count", "2000",
                "fulltext.lag_le_5ms", "1080", "fulltext.lag_le_50ms", "1190", "fulltext.lag_le_500ms", "1990",
                "other.lag_le_5ms", "9999");
        LagBuckets between = LagBuckets.between(BEFORE, after, "fulltext.");
        assertEquals(1000, between.count());
        assertEquals("5", between.boundAt(0.50));
        assertEquals("5", between.boundAt(0.98));
        assertEquals("50", between.boundAt(0.99));
        assertEquals(">500", between.boundAt(0.999));
    }

    @Test
    void nothingRecordedHasNoBound() {
        assertEquals("-", LagBuckets.between(BEFORE, BEFORE, "fulltext.").boundAt(0.99));
    }
}
