package org.modkv.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * Writes a latency histogram as HdrHistogram's percentile distribution, the {@code .hgrm} text
 * that HdrHistogram's own plotter (and {@link HgrmReader}, {@link LatencyPlot}) read: a header,
 * one row per percentile step ({@code Value Percentile TotalCount 1/(1-Percentile)}) and a
 * footer with mean, standard deviation, max and count.
 *
 * <p>Histograms hold nanoseconds (as {@link BenchResult#histogram()} does); the file holds
 * milliseconds, through {@code outputPercentileDistribution}'s scaling ratio.
 */
public final class HgrmWriter {
    /** The scaling ratio from recorded values (ns) to written values (ms). */
    public static final double NANOS_PER_MILLI = 1_000_000.0;

    private HgrmWriter() {
    }

    /** Writes {@code histogramNs} to {@code file} (replacing it), values in milliseconds. */
    public static void write(Histogram histogramNs, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(toText(histogramNs).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Writes {@code histogramNs} to {@code out}, values in milliseconds. */
    public static void write(Histogram histogramNs, PrintStream out) {
        histogramNs.outputPercentileDistribution(out, NANOS_PER_MILLI);
        out.flush();
    }

    /** The .hgrm text of {@code histogramNs}, values in milliseconds. */
    public static String toText(Histogram histogramNs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8)) {
            write(histogramNs, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
