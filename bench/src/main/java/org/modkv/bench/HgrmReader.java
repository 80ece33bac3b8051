package org.modkv.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code .hgrm} percentile distribution, as written by {@link HgrmWriter}, wrk2,
 * HdrHistogram's {@code HistogramLogProcessor} and friends: the rows of {@code Value Percentile
 * TotalCount [1/(1-Percentile)]} and the {@code #[Mean = ..., ...]} / {@code #[Max = ..., Total
 * count = ...]} footer. Header, blank and other lines are skipped.
 */
public final class HgrmReader {
    private static final Pattern MEAN = Pattern.compile("#\\[Mean\\s*=\\s*([^,\\s]+)");
    private static final Pattern MAX = Pattern.compile("#\\[Max\\s*=\\s*([^,\\s]+),\\s*Total count\\s*=\\s*(\\d+)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private HgrmReader() {
    }

    /**
     * Reads {@code file}; the series is named after the file, without {@code .hgrm}.
     *
     * @throws IOException if the file cannot be read or holds no percentile rows
     */
    public static HgrmData read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(seriesName(file), text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses .hgrm {@code text} as series {@code name}.
     *
     * @throws IllegalArgumentException if it holds no percentile rows
     */
    public static HgrmData parse(String name, String text) {
        List<HgrmData.Row> rows = new ArrayList<>();
        double mean = Double.NaN;
        double max = Double.NaN;
        long total = -1;
        for (String line : text.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#")) {
                Matcher m = MEAN.matcher(trimmed);
                if (m.find()) {
                    mean = number(m.group(1));
                }
                m = MAX.matcher(trimmed);
                if (m.find()) {
                    max = number(m.group(1));
                    total = Long.parseLong(m.group(2));
                }
                continue;
            }
            HgrmData.Row row = row(trimmed);
            if (row != null) {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no percentile rows found; expected HdrHistogram's .hgrm output "
                    + "(columns Value Percentile TotalCount 1/(1-Percentile))");
        }
        HgrmData.Row last = rows.get(rows.size() - 1);
        return new HgrmData(name, rows, mean, Double.isNaN(max) ? last.valueMs() : max,
                total < 0 ? last.totalCount() : total);
    }

    /** The file name without a trailing {@code .hgrm}. */
    static String seriesName(Path file) {
        String name = file.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".hgrm") ? name.substring(0, name.length() - 5) : name;
    }

    /** A data row, or {@code null} for any other line (header, blank). */
    private static HgrmData.Row row(String line) {
        if (line.isEmpty() || !(Character.isDigit(line.charAt(0)) || line.charAt(0) == '.')) {
            return null;
        }
        String[] columns = WHITESPACE.split(line);
        if (columns.length < 3) {
            return null;
        }
        try {
            double value = Double.parseDouble(columns[0]);
            double percentile = Double.parseDouble(columns[1]);
            long count = Long.parseLong(columns[2]);
            if (percentile < 0 || percentile > 1) {
                return null;
            }
            return new HgrmData.Row(value, percentile, count);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
