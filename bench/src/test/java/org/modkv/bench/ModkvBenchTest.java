package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.bench.BenchOptions.Workload;

/** The whole runner over the modkv client, against the real tcp transport in front of a map. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModkvBenchTest {
    private final InMemoryModkvNode node;

    @TempDir
    Path dir;

    ModkvBenchTest() throws IOException {
        node = new InMemoryModkvNode();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private BenchOptions.Builder options(Workload workload) {
        return BenchOptions.builder().connect(node.hostPort()).workload(workload)
                .clients(4).connections(2).requests(1500).keys(300).warmup(Duration.ZERO);
    }

    @Test
    void mixedRunWithPreloadHitsEveryKey() {
        BenchResult result = new BenchRunner(options(Workload.MIXED).preload(true).readRatio(0.7).build(), null).run();
        assertEquals(300, node.keys());
        assertEquals(1500, result.ops(), result.summaryTable());
        assertEquals(0, result.errors());
        assertEquals(0, result.misses());
        assertEquals(1, result.targets().size(), "both connections go to the one node");
    }

    @Test
    void bulkAndSearchWorkloadsRun() {
        BenchResult bulk = new BenchRunner(options(Workload.BULK).batch(20).build(), null).run();
        assertEquals(1500, bulk.ops());
        assertEquals(0, bulk.errors());
        assertTrue(node.keys() > 20);
        BenchResult search = new BenchRunner(options(Workload.SEARCH).requests(200).build(), null).run();
        assertEquals(200, search.ops());
        assertEquals(0, search.errors());
    }

    @Test
    void runAndReportPrintsTheTableTheResultLineAndWritesTheFiles() throws IOException {
        Path hgrm = dir.resolve("run.hgrm");
        Path svg = dir.resolve("run.svg");
        ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        BenchOptions options = options(Workload.WRITE).requests(0).duration(Duration.ofMillis(1200))
                .warmup(Duration.ofMillis(300)).hgrm(hgrm).plot(svg).build();

        BenchResult result = new BenchRunner(options, new PrintStream(progressBytes, true, StandardCharsets.UTF_8))
                .runAndReport(new PrintStream(outBytes, true, StandardCharsets.UTF_8));

        String out = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("modkv bench: write"), out);
        String resultLine = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        Map<String, String> fields = BenchResultTest.parseResultLine(resultLine);
        assertEquals(result.ops(), Long.parseLong(fields.get("ops")));
        assertTrue(result.ops() > 0);
        assertEquals(result.ops(), HgrmReader.read(hgrm).totalCount());
        String chart = Files.readString(svg);
        assertEquals(1, chart.split("<polyline", -1).length - 1);
        assertTrue(chart.contains(">modkv write</text>"), "series named after protocol and workload");
        String progress = progressBytes.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("measuring") && progress.contains("ops/s") && progress.contains("p99"), progress);
    }

    @Test
    void unreachableNodeIsAClearError() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        BenchOptions options = options(Workload.WRITE).connect("127.0.0.1:" + port).build();
        BenchException e = assertThrows(BenchException.class, () -> new BenchRunner(options, null).run());
        assertTrue(e.getMessage().startsWith("cannot connect to modkv node 127.0.0.1:" + port), e.getMessage());
    }
}
