package org.modkv.bench;

import java.util.List;
import java.util.Objects;

/**
 * A percentile distribution read back from an {@code .hgrm} file: what {@link LatencyPlot}
 * draws as one series.
 *
 * @param name the series name (the file name without {@code .hgrm}, or as given)
 * @param rows the percentile rows in file order (ascending percentile)
 * @param meanMs the footer's mean, or {@code NaN} if the file has no footer
 * @param maxMs the footer's max, or the last row's value if the file has no footer
 * @param totalCount the footer's total count, or the last row's if the file has no footer
 */
public record HgrmData(String name, List<Row> rows, double meanMs, double maxMs, long totalCount) {

    /**
     * One row of the distribution.
     *
     * @param valueMs the latency at this percentile, in milliseconds
     * @param percentile the fraction of values at or below it, 0..1
     * @param totalCount how many values that is
     */
    public record Row(double valueMs, double percentile, long totalCount) {
    }

    public HgrmData {
        Objects.requireNonNull(name, "name");
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a distribution needs at least one row");
        }
    }

    /**
     * The latency at {@code percentile} (0..100, as HdrHistogram's {@code getValueAtPercentile}
     * takes it): the value of the first row at or above it, or the last row's value.
     */
    public double valueAtPercentile(double percentile) {
        double fraction = percentile / 100.0;
        for (Row row : rows) {
            if (row.percentile() >= fraction - 1e-12) {
                return row.valueMs();
            }
        }
        return rows.get(rows.size() - 1).valueMs();
    }
}
