package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyPlotTest {
    @TempDir
    Path dir;

    private static HgrmData series(String name, long scaleNs) {
        Histogram h = LatencyRecording.newHistogram();
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(scaleNs + i * (scaleNs / 1000));
        }
        return HgrmReader.parse(name, HgrmWriter.toText(h));
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void drawsOnePolylinePerSeriesAndNamesEachInTheLegend() {
        for (int n = 1; n <= 4; n++) {
            List<HgrmData> series = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                series.add(series("run-" + s, 100_000L * (s + 1)));
            }
            String svg = LatencyPlot.toSvg(series);
            assertEquals(n, count(svg, "<polyline"), svg);
            for (int s = 0; s < n; s++) {
                assertTrue(svg.contains(">run-" + s + "</text>"), "legend names run-" + s);
            }
        }
    }

    @Test
    void percentileAxisIsLabelledOnALogScaleOfOneOverOneMinusP() {
        String svg = LatencyPlot.toSvg(List.of(series("a", 1_000_000)));
        for (String label : List.of(">0%<", ">90%<", ">99%<", ">99.9%<", ">99.99%<", ">99.999%<")) {
            assertTrue(svg.contains(label), "x label " + label);
        }
        assertTrue(svg.contains("Latency (ms)"));
        assertTrue(svg.startsWith("<?xml") && svg.trim().endsWith("</svg>"));
        assertEquals(0.0, LatencyPlot.nines(0.0), 1e-12);
        assertEquals(2.0, LatencyPlot.nines(0.99), 1e-9);
        assertEquals(3.0, LatencyPlot.nines(0.999), 1e-9);
    }

    @Test
    void pointsRiseWithThePercentileAndStayInsideTheChart() {
        String svg = LatencyPlot.toSvg(List.of(series("a", 1_000_000)));
        Matcher m = Pattern.compile("points=\"([^\"]+)\"").matcher(svg);
        assertTrue(m.find());
        double lastX = -1;
        double lastY = Double.MAX_VALUE;
        for (String point : m.group(1).split(" ")) {
            String[] xy = point.split(",");
            double x = Double.parseDouble(xy[0]);
            double y = Double.parseDouble(xy[1]);
            assertTrue(x >= lastX, "x is monotonic");
            assertTrue(y <= lastY + 1e-9, "latency does not fall as the percentile rises (y grows downwards)");
            assertTrue(x >= 0 && x <= 960 && y >= 0 && y <= 540);
            lastX = x;
            lastY = y;
        }
    }

    @Test
    void escapesSeriesNames() {
        String svg = LatencyPlot.toSvg(List.of(series("a<b & \"c\"", 1_000_000)));
        assertTrue(svg.contains("a&lt;b &amp; &quot;c&quot;"));
        assertFalse(svg.contains("a<b"));
    }

    @Test
    void plotsSeveralHgrmFilesIntoOneSvgNamedAfterTheFiles() throws IOException {
        Path a = dir.resolve("modkv.hgrm");
        Path b = dir.resolve("redis.hgrm");
        Files.writeString(a, HgrmWriter.toText(histogram(200_000)));
        Files.writeString(b, HgrmWriter.toText(histogram(100_000)));
        Path out = dir.resolve("compare.svg");

        LatencyPlot.plotFiles(List.of(a, b), out);

        String svg = Files.readString(out);
        assertEquals(2, count(svg, "<polyline"));
        assertTrue(svg.contains(">modkv</text>") && svg.contains(">redis</text>"));
    }

    @Test
    void refusesOutputThatIsNotSvgAndAnEmptyList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatencyPlot.plotFiles(List.of(dir.resolve("a.hgrm")), dir.resolve("chart.png")));
        assertTrue(e.getMessage().startsWith("plots are written as SVG"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatencyPlot.plotFiles(List.of(), dir.resolve("c.svg")));
    }

    private static Histogram histogram(long baseNs) {
        Histogram h = LatencyRecording.newHistogram();
        for (int i = 0; i < 1000; i++) {
            h.recordValue(baseNs + i * 1000L);
        }
        return h;
    }
}
