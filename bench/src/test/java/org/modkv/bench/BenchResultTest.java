package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchResultTest {
    private static final Pattern RESULT = Pattern.compile("RESULT ops=(\\d+) errors=(\\d+) throughput=(\\d+\\.\\d) "
            + "p50=(\\d+\\.\\d{3}) p90=(\\d+\\.\\d{3}) p99=(\\d+\\.\\d{3}) p999=(\\d+\\.\\d{3}) max=(\\d+\\.\\d{3})");

    private static BenchOptions options(BenchOptions.Workload workload) {
        return BenchOptions.builder().workload(workload).requests(1000).build();
    }

    /** 1000 values: 1..1000 microseconds. */
    private static Histogram histogram() {
        Histogram h = LatencyRecording.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L);
        }
        return h;
    }

    static Map<String, String> parseResultLine(String line) {
        Matcher m = RESULT.matcher(line);
        assertTrue(m.matches(), "not a RESULT line: " + line);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : line.substring("RESULT ".length()).split(" ")) {
            String[] kv = pair.split("=");
            fields.put(kv[0], kv[1]);
        }
        return fields;
    }

    @Test
    void resultLineHasExactlyTheDocumentedFieldsInMilliseconds() {
        BenchResult result = new BenchResult(options(BenchOptions.Workload.WRITE), List.of("127.0.0.1:7379"),
                histogram(), 3, 0, 2_000_000_000L, Map.of("UNAVAILABLE: lost", 3L));
        Map<String, String> fields = parseResultLine(result.resultLine());

        assertEquals(List.of("ops", "errors", "throughput", "p50", "p90", "p99", "p999", "max"),
                List.copyOf(fields.keySet()));
        assertEquals(1000, Long.parseLong(fields.get("ops")));
        assertEquals(3, Long.parseLong(fields.get("errors")));
        assertEquals(500.0, Double.parseDouble(fields.get("throughput")), 1e-9);
        assertEquals(0.500, Double.parseDouble(fields.get("p50")), 0.001);
        assertEquals(0.900, Double.parseDouble(fields.get("p90")), 0.001);
        assertEquals(0.990, Double.parseDouble(fields.get("p99")), 0.001);
        assertEquals(0.999, Double.parseDouble(fields.get("p999")), 0.001);
        assertEquals(1.000, Double.parseDouble(fields.get("max")), 0.001);
    }

    @Test
    void resultLineOfARunWithNoSuccessIsAllZeros() {
        BenchResult result = new BenchResult(options(BenchOptions.Workload.READ), List.of("h:1"),
                LatencyRecording.newHistogram(), 7, 0, 1_000_000_000L, Map.of());
        assertEquals("RESULT ops=0 errors=7 throughput=0.0 p50=0.000 p90=0.000 p99=0.000 p999=0.000 max=0.000",
                result.resultLine());
    }

    @Test
    void summaryTableShowsTheRunTheLatenciesAndTheErrorKinds() {
        BenchResult result = new BenchResult(options(BenchOptions.Workload.BULK), List.of("127.0.0.1:7379"),
                histogram(), 3, 0, 2_000_000_000L, Map.of("UNAVAILABLE: connection lost", 3L));
        String table = result.summaryTable();
        assertTrue(table.startsWith("modkv bench: bulk (10 entries per request), 16 clients over 4 connections"), table);
        assertTrue(table.contains("1000 ok, 3 errors"), table);
        assertTrue(table.contains("500.0 requests/s (5000.0 entries/s)"), table);
        assertTrue(table.matches("(?s).*p99\\s+0\\.990.*"), table);
        assertTrue(table.matches("(?s).*p99\\.9\\s+0\\.999.*"), table);
        assertTrue(table.contains("3  UNAVAILABLE: connection lost"), table);
    }

    @Test
    void summaryTellsTheUserToPreloadWhenReadsMiss() {
        BenchResult result = new BenchResult(options(BenchOptions.Workload.READ), List.of("h:1"), histogram(), 0, 250,
                1_000_000_000L, Map.of());
        assertTrue(result.summaryTable().contains("250 requests (25.0%) found nothing; write the keys first with --preload"),
                result.summaryTable());
    }
}
