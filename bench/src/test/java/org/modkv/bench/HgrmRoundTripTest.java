package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HgrmRoundTripTest {
    /** The .hgrm format prints milliseconds with 3 decimals: half a microsecond of rounding. */
    private static final double PRINT_PRECISION_MS = 0.0005 + 1e-9;

    @TempDir
    Path dir;

    /** Log-normal-ish latencies: mostly around 0.2 ms with a tail to tens of ms. */
    private static Histogram latencies() {
        Histogram h = LatencyRecording.newHistogram();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            h.recordValue((long) (200_000 * Math.exp(random.nextGaussian())));
        }
        h.recordValue(45_000_000);
        return h;
    }

    @Test
    void writtenDistributionReadsBackWithTheSamePercentiles() throws IOException {
        Histogram histogram = latencies();
        Path file = dir.resolve("run-a.hgrm");
        HgrmWriter.write(histogram, file);

        HgrmData data = HgrmReader.read(file);

        assertEquals("run-a", data.name());
        assertEquals(histogram.getTotalCount(), data.totalCount());
        assertTrue(data.rows().size() > 50, "a row per percentile tick");
        for (HgrmData.Row row : data.rows()) {
            double expectedMs = histogram.getValueAtPercentile(row.percentile() * 100) / 1e6;
            assertEquals(expectedMs, row.valueMs(), PRINT_PRECISION_MS, "value at percentile " + row.percentile());
        }
        for (double p : new double[] {50, 90}) { // tick rows: read back exactly
            assertEquals(histogram.getValueAtPercentile(p) / 1e6, data.valueAtPercentile(p), PRINT_PRECISION_MS, "p" + p);
        }
        // between ticks the file gives the next tick's value: never below the true percentile
        assertTrue(data.valueAtPercentile(99) >= histogram.getValueAtPercentile(99) / 1e6 - PRINT_PRECISION_MS);
        assertEquals(histogram.getMaxValue() / 1e6, data.maxMs(), PRINT_PRECISION_MS);
        assertEquals(histogram.getMean() / 1e6, data.meanMs(), PRINT_PRECISION_MS);
        HgrmData.Row last = data.rows().get(data.rows().size() - 1);
        assertEquals(1.0, last.percentile());
        assertEquals(histogram.getTotalCount(), last.totalCount());
    }

    @Test
    void fileIsHdrHistogramsStandardPercentileDistribution() throws IOException {
        Path file = dir.resolve("a.hgrm");
        HgrmWriter.write(latencies(), file);
        String text = Files.readString(file);
        assertTrue(text.lines().anyMatch(l -> l.trim().equals("Value     Percentile TotalCount 1/(1-Percentile)")), text);
        assertTrue(text.contains("#[Max     ="), text);
        assertTrue(text.contains("Total count    ="), text);
    }

    @Test
    void readsRowsWrittenByOtherToolsAndIgnoresTheRest() {
        String wrk2Style = """
                  Detailed Percentile spectrum:
                       Value   Percentile   TotalCount 1/(1-Percentile)

                       0.921     0.000000            1         1.00
                       1.500     0.500000          500         2.00
                       9.000     0.990000          990       100.00
                      12.000     1.000000         1000
                #[Mean    =        1.800, StdDeviation   =        0.900]
                #[Max     =       12.000, Total count    =         1000]
                #[Buckets =           27, SubBuckets     =         2048]
                ----------------------------------------------------------
                """;
        HgrmData data = HgrmReader.parse("wrk2", wrk2Style);
        assertEquals(4, data.rows().size());
        assertEquals(1.5, data.valueAtPercentile(50));
        assertEquals(9.0, data.valueAtPercentile(99));
        assertEquals(12.0, data.maxMs());
        assertEquals(1.8, data.meanMs());
        assertEquals(1000, data.totalCount());
    }

    @Test
    void rejectsAFileWithoutPercentileRows() throws IOException {
        Path file = dir.resolve("notes.hgrm");
        Files.writeString(file, "this is not a histogram\n");
        IOException e = assertThrows(IOException.class, () -> HgrmReader.read(file));
        assertTrue(e.getMessage().contains("no percentile rows found"), e.getMessage());
    }
}
