package org.modkv.node.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lag's cumulative counts per bound: two snapshots give the distribution between them. */
class IndexLagTest {
    @Test
    void cumulativeCountsPerBoundGrowWithEveryRecordedLag() {
        IndexLag lag = new IndexLag();
        Map<String, Object> empty = new LinkedHashMap<>();
        lag.putStats("x", empty);
        assertEquals(0L, empty.get("x.lag_count"));
        assertEquals(0L, empty.get("x.lag_le_50ms"));

        record(lag, 90, TimeUnit.MICROSECONDS.toNanos(500));
        record(lag, 9, TimeUnit.MILLISECONDS.toNanos(30));
        record(lag, 1, TimeUnit.MILLISECONDS.toNanos(700));
        Map<String, Object> first = new LinkedHashMap<>();
        lag.putStats("x", first);
        assertEquals(100L, first.get("x.lag_count"));
        assertEquals(90L, first.get("x.lag_le_1ms"));
        assertEquals(90L, first.get("x.lag_le_20ms"));
        assertEquals(99L, first.get("x.lag_le_50ms"));
        assertEquals(99L, first.get("x.lag_le_500ms"));
        assertEquals(100L, first.get("x.lag_le_1000ms"));
        assertEquals(100L, first.get("x.lag_le_5000ms"));

        record(lag, 10, TimeUnit.MILLISECONDS.toNanos(3));
        Map<String, Object> second = new LinkedHashMap<>();
        lag.putStats("x", second);
        assertEquals(110L, second.get("x.lag_count"));
        assertEquals(10L, (Long) second.get("x.lag_le_5ms") - (Long) first.get("x.lag_le_5ms"),
                "between the snapshots: ten lags of 3 ms, all within 5 ms");
        assertEquals(0L, (Long) second.get("x.lag_le_2ms") - (Long) first.get("x.lag_le_2ms"));
    }

    private static void record(IndexLag lag, int times, long nanos) {
        for (int i = 0; i < times; i++) {
            lag.record(nanos);
        }
    }
}
