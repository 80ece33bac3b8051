package org.modkv.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a measured run did. "Ops" are successful requests sent during the measurement (a bulk
 * request counts once, whatever its batch); failed ones are "errors" and have no latency.
 * Latencies are in the histogram in nanoseconds and reported in milliseconds. Immutable.
 */
public final class BenchResult {
    private static final double[] TABLE_PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private final BenchOptions options;
    private final List<String> targets;
    private final Histogram histogram;
    private final long errors;
    private final long misses;
    private final long elapsedNs;
    private final Map<String, Long> errorKinds;

    BenchResult(BenchOptions options, List<String> targets, Histogram histogramNs, long errors, long misses,
                long elapsedNs, Map<String, Long> errorKinds) {
        this.options = options;
        this.targets = List.copyOf(targets);
        this.histogram = histogramNs.copy();
        this.errors = errors;
        this.misses = misses;
        this.elapsedNs = Math.max(0, elapsedNs);
        this.errorKinds = Map.copyOf(errorKinds);
    }

    /** The options of the run. */
    public BenchOptions options() {
        return options;
    }

    /** The {@code host:port} addresses the run was connected to. */
    public List<String> targets() {
        return targets;
    }

    /** Successful requests measured. */
    public long ops() {
        return histogram.getTotalCount();
    }

    /** Failed requests measured, including those still unanswered when the run ended. */
    public long errors() {
        return errors;
    }

    /** Successful reads that found no value, and searches with no hits. */
    public long misses() {
        return misses;
    }

    /** The measured time: from the end of the warm-up to the last completion. */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNs);
    }

    /** Successful requests per second of measured time. */
    public double throughput() {
        return elapsedNs == 0 ? 0 : ops() * 1e9 / elapsedNs;
    }

    /** Latency at {@code percentile} (0..100) in milliseconds; 0 when nothing succeeded. */
    public double percentileMs(double percentile) {
        return ops() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / HgrmWriter.NANOS_PER_MILLI;
    }

    /** Largest latency in milliseconds; 0 when nothing succeeded. */
    public double maxMs() {
        return ops() == 0 ? 0 : histogram.getMaxValue() / HgrmWriter.NANOS_PER_MILLI;
    }

    /** Mean latency in milliseconds; 0 when nothing succeeded. */
    public double meanMs() {
        return ops() == 0 ? 0 : histogram.getMean() / HgrmWriter.NANOS_PER_MILLI;
    }

    /** A copy of the latency histogram, values in nanoseconds. */
    public Histogram histogram() {
        return histogram.copy();
    }

    /** Errors by kind ({@code CODE: message}) and count. */
    public Map<String, Long> errorKinds() {
        return errorKinds;
    }

    /**
     * The machine-readable line, milliseconds with 3 decimals, throughput in requests/s with 1:
     * {@code RESULT ops=<n> errors=<n> throughput=<ops/s> p50=<ms> p90=<ms> p99=<ms> p999=<ms> max=<ms>}.
     */
    public String resultLine() {
        return String.format(Locale.ROOT, "RESULT ops=%d errors=%d throughput=%.1f p50=%.3f p90=%.3f p99=%.3f"
                        + " p999=%.3f max=%.3f", ops(), errors(), throughput(), percentileMs(50), percentileMs(90),
                percentileMs(99), percentileMs(99.9), maxMs());
    }

    /** A human-readable report of the run, several lines, ending with a newline. */
    public String summaryTable() {
        StringBuilder out = new StringBuilder(1024);
        out.append("modkv bench: ").append(options.describe()).append('\n');
        row(out, targets.size() == 1 ? "target" : "targets", String.join(", ", targets));
        row(out, "keys", options.keys() + " (" + options.distribution().cliName() + "), values of "
                + options.valueSize() + " B");
        row(out, "measured", String.format(Locale.ROOT, "%.2f s", elapsedNs / 1e9)
                + (options.warmup().isZero() ? "" : String.format(Locale.ROOT, ", after a %.1f s warm-up",
                        options.warmup().toMillis() / 1000.0)));
        row(out, "requests", ops() + " ok, " + errors + (errors == 1 ? " error" : " errors"));
        String throughput = String.format(Locale.ROOT, "%.1f requests/s", throughput());
        if (options.workload() == BenchOptions.Workload.BULK) {
            throughput += String.format(Locale.ROOT, " (%.1f entries/s)", throughput() * options.batch());
        }
        if (options.openLoop()) {
            throughput += " (target " + BenchOptions.formatRate(options.rate()) + ")";
        }
        row(out, "throughput", throughput);
        out.append('\n');
        out.append(String.format(Locale.ROOT, "  %-12s %12s%n", "latency", "ms"));
        out.append(String.format(Locale.ROOT, "  %-12s %12.3f%n", "mean", meanMs()));
        for (double p : TABLE_PERCENTILES) {
            out.append(String.format(Locale.ROOT, "  %-12s %12.3f%n", label(p), percentileMs(p)));
        }
        out.append(String.format(Locale.ROOT, "  %-12s %12.3f%n", "max", maxMs()));
        if (!errorKinds.isEmpty()) {
            out.append("\n  errors by kind:\n");
            errorKinds.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> out.append(String.format(Locale.ROOT, "  %12d  %s%n", e.getValue(), e.getKey())));
        }
        boolean reads = options.workload() == BenchOptions.Workload.READ || options.workload() == BenchOptions.Workload.MIXED
                || options.workload() == BenchOptions.Workload.SEARCH;
        if (reads && misses > 0) {
            out.append(String.format(Locale.ROOT, "%n  note: %d requests (%.1f%%) found nothing; write the keys first"
                    + " with --preload, or with a write run using the same --keys and --value-size%n",
                    misses, ops() == 0 ? 0 : 100.0 * misses / ops()));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "  %-12s %s%n", name, value));
    }

    private static String label(double percentile) {
        String text = percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
        return "p" + text;
    }

    @Override
    public String toString() {
        return resultLine();
    }
}
