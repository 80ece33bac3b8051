package org.modkv.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws latency-by-percentile charts as SVG, the way HdrHistogram's plotter does: the x axis is
 * the percentile on a log scale of {@code 1/(1-p)} (so 90%, 99%, 99.9%, 99.99%, 99.999% are
 * evenly spaced and the tail gets the room it deserves), the y axis the latency in
 * milliseconds, one coloured line per series and a legend naming them. Any number of series
 * (runs) can be overlaid; the SVG is written by hand, so no AWT is needed.
 *
 * <p>The 100% row of a distribution (its max) is not drawn: it sits at an infinite x.
 */
public final class LatencyPlot {
    private static final String[] COLOURS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
        "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
    };
    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final double LEFT = 80;
    private static final double RIGHT = WIDTH - 30;
    private static final double TOP = 50;
    private static final double BOTTOM = HEIGHT - 70;
    /** The x axis always reaches 99.999%, and at most 99.99999%. */
    private static final int MIN_NINES = 5;
    private static final int MAX_NINES = 7;

    private LatencyPlot() {
    }

    /**
     * {@code modkv plot}: reads each .hgrm file (a series named after the file) and writes one
     * chart with all of them to {@code out}.
     *
     * @throws IllegalArgumentException if no file is given or {@code out} is not {@code *.svg}
     * @throws IOException if a file cannot be read, holds no percentile rows, or {@code out}
     *     cannot be written
     */
    public static void plotFiles(List<Path> hgrmFiles, Path out) throws IOException {
        if (hgrmFiles.isEmpty()) {
            throw new IllegalArgumentException("give at least one .hgrm file to plot");
        }
        requireSvg(out);
        List<HgrmData> series = new ArrayList<>(hgrmFiles.size());
        for (Path file : hgrmFiles) {
            series.add(HgrmReader.read(file));
        }
        write(series, out);
    }

    /**
     * Writes the chart of {@code series} to {@code out} (replacing it).
     *
     * @throws IllegalArgumentException if {@code series} is empty or {@code out} is not {@code *.svg}
     */
    public static void write(List<HgrmData> series, Path out) throws IOException {
        requireSvg(out);
        Files.writeString(out, toSvg(series), StandardCharsets.UTF_8);
    }

    /** The chart of {@code series} as an SVG document, titled "Latency by percentile". */
    public static String toSvg(List<HgrmData> series) {
        return toSvg("Latency by percentile", series);
    }

    /**
     * The chart of {@code series} as an SVG document.
     *
     * @throws IllegalArgumentException if {@code series} is empty
     */
    public static String toSvg(String title, List<HgrmData> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a chart needs at least one series");
        }
        int nines = MIN_NINES;
        double maxValue = 0;
        for (HgrmData data : series) {
            for (HgrmData.Row row : data.rows()) {
                if (row.percentile() < 1) {
                    nines = Math.max(nines, (int) Math.ceil(nines(row.percentile()) - 1e-9));
                    maxValue = Math.max(maxValue, row.valueMs());
                }
            }
        }
        nines = Math.min(nines, MAX_NINES);
        double yStep = niceStep(maxValue > 0 ? maxValue / 5 : 0.2);
        double yMax = Math.max(yStep, Math.ceil(maxValue / yStep - 1e-9) * yStep);

        StringBuilder svg = new StringBuilder(16 * 1024);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" fill=\"white\"/>\n");
        svg.append("<text x=\"").append(WIDTH / 2).append("\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">")
                .append(escape(title)).append("</text>\n");

        // grid and x labels: one line per power of ten of 1/(1-p)
        svg.append("<g class=\"x-axis\" stroke=\"#dddddd\">\n");
        for (int k = 0; k <= nines; k++) {
            double x = x(k, nines);
            svg.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(fmt(TOP)).append("\" x2=\"")
                    .append(fmt(x)).append("\" y2=\"").append(fmt(BOTTOM)).append("\"/>\n");
        }
        svg.append("</g>\n<g class=\"x-labels\" text-anchor=\"middle\" fill=\"#333333\">\n");
        for (int k = 0; k <= nines; k++) {
            svg.append("<text x=\"").append(fmt(x(k, nines))).append("\" y=\"").append(fmt(BOTTOM + 18)).append("\">")
                    .append(percentileLabel(k)).append("</text>\n");
        }
        svg.append("</g>\n");
        svg.append("<text x=\"").append(fmt((LEFT + RIGHT) / 2)).append("\" y=\"").append(fmt(BOTTOM + 45))
                .append("\" text-anchor=\"middle\">Percentile</text>\n");

        // grid and y labels
        svg.append("<g class=\"y-axis\" stroke=\"#dddddd\">\n");
        int yTicks = (int) Math.round(yMax / yStep);
        for (int t = 0; t <= yTicks; t++) {
            double y = y(t * yStep, yMax);
            svg.append("<line x1=\"").append(fmt(LEFT)).append("\" y1=\"").append(fmt(y)).append("\" x2=\"")
                    .append(fmt(RIGHT)).append("\" y2=\"").append(fmt(y)).append("\"/>\n");
        }
        svg.append("</g>\n<g class=\"y-labels\" text-anchor=\"end\" fill=\"#333333\">\n");
        for (int t = 0; t <= yTicks; t++) {
            svg.append("<text x=\"").append(fmt(LEFT - 8)).append("\" y=\"").append(fmt(y(t * yStep, yMax) + 4))
                    .append("\">").append(tickLabel(t * yStep, yStep)).append("</text>\n");
        }
        svg.append("</g>\n");
        svg.append("<text transform=\"translate(22,").append(fmt((TOP + BOTTOM) / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\">Latency (ms)</text>\n");
        svg.append("<rect x=\"").append(fmt(LEFT)).append("\" y=\"").append(fmt(TOP)).append("\" width=\"")
                .append(fmt(RIGHT - LEFT)).append("\" height=\"").append(fmt(BOTTOM - TOP))
                .append("\" fill=\"none\" stroke=\"#333333\"/>\n");

        // one line per series
        for (int s = 0; s < series.size(); s++) {
            HgrmData data = series.get(s);
            svg.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour(s))
                    .append("\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"");
            boolean first = true;
            for (HgrmData.Row row : data.rows()) {
                if (row.percentile() >= 1) {
                    continue;
                }
                if (!first) {
                    svg.append(' ');
                }
                first = false;
                svg.append(fmt(x(Math.min(nines(row.percentile()), nines), nines))).append(',')
                        .append(fmt(y(row.valueMs(), yMax)));
            }
            svg.append("\"><title>").append(escape(data.name())).append("</title></polyline>\n");
        }

        // legend, top left inside the plot
        double legendHeight = 10 + 18 * series.size();
        int longest = series.stream().mapToInt(d -> d.name().length()).max().orElse(0);
        svg.append("<g class=\"legend\">\n");
        svg.append("<rect x=\"").append(fmt(LEFT + 10)).append("\" y=\"").append(fmt(TOP + 10)).append("\" width=\"")
                .append(fmt(44 + 7.5 * longest)).append("\" height=\"").append(fmt(legendHeight))
                .append("\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999999\"/>\n");
        for (int s = 0; s < series.size(); s++) {
            double y = TOP + 10 + 16 + 18 * s;
            svg.append("<line x1=\"").append(fmt(LEFT + 18)).append("\" y1=\"").append(fmt(y - 4)).append("\" x2=\"")
                    .append(fmt(LEFT + 40)).append("\" y2=\"").append(fmt(y - 4)).append("\" stroke=\"").append(colour(s))
                    .append("\" stroke-width=\"3\"/>\n");
            svg.append("<text x=\"").append(fmt(LEFT + 46)).append("\" y=\"").append(fmt(y)).append("\">")
                    .append(escape(series.get(s).name())).append("</text>\n");
        }
        svg.append("</g>\n</svg>\n");
        return svg.toString();
    }

    /** {@code log10(1/(1-p))}: 0 at 0%, 1 at 90%, 2 at 99%... */
    static double nines(double percentile) {
        return Math.log10(1.0 / (1.0 - percentile));
    }

    /** The label at {@code k} nines: 0%, 90%, 99%, 99.9%... */
    static String percentileLabel(int k) {
        if (k == 0) {
            return "0%";
        }
        if (k == 1) {
            return "90%";
        }
        return "99" + (k > 2 ? "." + "9".repeat(k - 2) : "") + "%";
    }

    private static double x(double nines, int maxNines) {
        return LEFT + (RIGHT - LEFT) * nines / maxNines;
    }

    private static double y(double valueMs, double yMax) {
        return BOTTOM - (BOTTOM - TOP) * Math.min(valueMs, yMax) / yMax;
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw * (1 - 1e-9)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String tickLabel(double value, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step)) + 1);
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        if (text.indexOf('.') >= 0) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }

    private static String colour(int series) {
        return COLOURS[series % COLOURS.length];
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static void requireSvg(Path out) {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
            throw new IllegalArgumentException("plots are written as SVG: name the output file *.svg, was " + out);
        }
    }
}
