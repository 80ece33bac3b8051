package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/modkv bench} and {@code bin/modkv plot} against a real node process (and a real
 * redis-server when one is installed). Checks exit codes, the documented RESULT line, the .hgrm
 * and SVG files; never a timing threshold. BenchResult documents "ops" as the successful
 * requests measured (a bulk request counts once) and "errors" as the failed ones, and
 * {@code --requests N} measures exactly N requests, so with {@code --warmup 0} and no errors
 * ops == N.
 */
class BenchIT {
    /** The machine-readable line BenchResult#resultLine documents. */
    private static final Pattern RESULT = Pattern.compile("^RESULT ops=(\\d+) errors=(\\d+) throughput=(\\d+\\.\\d)"
            + " p50=(\\d+\\.\\d{3}) p90=(\\d+\\.\\d{3}) p99=(\\d+\\.\\d{3}) p999=(\\d+\\.\\d{3}) max=(\\d+\\.\\d{3})$",
            Pattern.MULTILINE);
    private static final Pattern HGRM_HEADER = Pattern.compile("^\\s*Value\\s+Percentile\\s+TotalCount\\s+1/\\(1-Percentile\\)\\s*$");
    private static final Pattern HGRM_ROW = Pattern.compile("^\\s*(\\d+\\.\\d+)\\s+(\\d\\.\\d+)\\s+(\\d+)(\\s+(\\d+\\.\\d+|Infinity))?\\s*$");
    private static final Pattern HGRM_TOTAL = Pattern.compile("Total count\\s*=\\s*(\\d+)");

    @TempDir
    static Path dir;
    private static NodeProcess node;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeProcess.start(dir.resolve("data"), "--set", "wal.sync=always", "--set", "transports=tcp,resp",
                "--set", "indexes=fulltext,tfidf");
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /** The values of the one RESULT line: ops, errors. */
    record Outcome(long ops, long errors) {
    }

    @Test
    void closedLoopWriteWritesHgrmAndPlot() throws Exception {
        Path hgrm = tmp.resolve("w.hgrm");
        Path svg = tmp.resolve("w.svg");
        Cli.Result run = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "write", "--clients", "8",
                "--requests", "2000", "--warmup", "0", "--hgrm", hgrm.toString(), "--plot", svg.toString());
        Outcome outcome = result(run);
        assertEquals(new Outcome(2000, 0), outcome, why(run));

        List<String> lines = Files.readAllLines(hgrm);
        int header = -1;
        for (int i = 0; i < lines.size() && header < 0; i++) {
            if (HGRM_HEADER.matcher(lines.get(i)).matches()) {
                header = i;
            }
        }
        assertTrue(header >= 0, () -> "no .hgrm header in " + hgrm + ":\n" + String.join("\n", lines));
        long rows = 0;
        long lastCount = -1;
        double lastPercentile = -1;
        for (String line : lines.subList(header + 1, lines.size())) {
            Matcher row = HGRM_ROW.matcher(line);
            if (row.matches()) {
                rows++;
                double percentile = Double.parseDouble(row.group(2));
                long count = Long.parseLong(row.group(3));
                assertTrue(percentile >= lastPercentile && count >= lastCount, () -> "rows not monotonic at: " + line);
                lastPercentile = percentile;
                lastCount = count;
            }
        }
        assertTrue(rows >= 2, () -> "too few .hgrm rows:\n" + String.join("\n", lines));
        assertEquals(2000, lastCount, "the last row counts every measured request");
        Matcher total = HGRM_TOTAL.matcher(String.join("\n", lines));
        assertTrue(total.find(), "no 'Total count' footer");
        assertEquals("2000", total.group(1));

        assertTrue(Files.isRegularFile(svg), svg + " not written");
        String chart = Files.readString(svg);
        assertTrue(chart.contains("<svg") && chart.contains("</svg>"), chart);
        assertTrue(chart.contains("<polyline"), "no series in the chart");
    }

    @Test
    void benchSearchLoadsACorpusThenReportsIndexingEveryQueryGroupAndLag() throws Exception {
        Cli.Result run = Cli.modkv("bench-search", "--corpus", "zipf", "--docs", "300", "--vocabulary", "500",
                "--mean-words", "8", "--connect", node.tcp(), "--resp", node.resp(), "--load", "--queries", "5",
                "--warmup-queries", "1", "--distinct", "5", "--lag-rate", "100", "--lag-seconds", "1", "--lag-warmup", "1");
        assertEquals(0, run.status(), why(run));
        assertTrue(Pattern.compile("^INDEXING corpus=zipf-300 docs=300 .*docs_per_s=\\d+$", Pattern.MULTILINE)
                .matcher(run.out()).find(), why(run));
        Matcher query = Pattern.compile("^QUERY target=modkv corpus=zipf-300 group=(\\S+) count=5 p50_us=\\d+ "
                + "p99_us=\\d+ max_us=\\d+ mean_hits=(\\d+)$", Pattern.MULTILINE).matcher(run.out());
        List<String> groups = new ArrayList<>();
        while (query.find()) {
            groups.add(query.group(1));
            if (query.group(1).equals("and-1-frequent")) {
                assertTrue(Long.parseLong(query.group(2)) > 0, "the commonest words are found: " + why(run).get());
            }
        }
        assertEquals(15, groups.size(), "and/or x 1-3 words x frequent/mid, phrase x 1-3 words: " + why(run).get());
        assertTrue(Pattern.compile("^LAG corpus=zipf-300 rate=100 .* writes=100 .*failed=0 lag_p50_ms=\\S+ "
                + "lag_p99_ms=\\S+ lag_max_ms=\\S+ warmup_seconds=1 measured_count=100 measured_p50_le_ms=\\S+ "
                + "measured_p99_le_ms=\\S+$", Pattern.MULTILINE).matcher(run.out()).find(), why(run));

        Cli.Result bad = Cli.modkv("bench-search", "--corpus", "man");
        assertEquals(2, bad.status(), why(bad));
        assertTrue(bad.err().contains("use debian or zipf"), why(bad));
    }

    @Test
    void benchSearchSimilarReportsTopKLatencyAndTheDocumentsEachQueryScored() throws Exception {
        Cli.Result run = Cli.modkv("bench-search", "--corpus", "zipf", "--docs", "400", "--vocabulary", "300",
                "--mean-words", "10", "--connect", node.tcp(), "--resp", node.resp(), "--index", "tfidf", "--load",
                "--queries", "0", "--similar", "20", "--warmup-queries", "2", "--distinct", "5", "--similar-words", "6");
        assertEquals(0, run.status(), why(run));
        Matcher similar = Pattern.compile("^SIMILAR target=modkv corpus=zipf-400 docs=(\\d+) top=10 count=20 p50_us=\\d+ "
                + "p99_us=\\d+ max_us=\\d+ mean_hits=(\\S+) docs_scored_per_query=(\\d+) scored_fraction=(\\S+)$",
                Pattern.MULTILINE).matcher(run.out());
        assertTrue(similar.find(), why(run));
        long docs = Long.parseLong(similar.group(1));
        assertTrue(docs >= 400, "the corpus is indexed: " + why(run).get());
        assertEquals(10.0, Double.parseDouble(similar.group(2)), "texts from the corpus find 10 neighbours: " + why(run).get());
        long scored = Long.parseLong(similar.group(3));
        assertTrue(scored >= 10 && scored <= docs, "documents scored per query: " + why(run).get());
        assertFalse(run.out().contains("QUERY target="), "--queries 0: no full-text phase");
    }

    @Test
    void readWithPreloadFindsEveryKey() throws Exception {
        Cli.Result run = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "read", "--preload",
                "--keys", "500", "--clients", "4", "--requests", "1000", "--warmup", "0");
        assertEquals(new Outcome(1000, 0), result(run), why(run));
        assertFalse(run.out().contains("found nothing"), why(run));
    }

    @Test
    void mixedWorkload() throws Exception {
        Cli.Result run = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "mixed", "--read-ratio", "0.9",
                "--keys", "500", "--clients", "4", "--requests", "1000", "--warmup", "0");
        assertEquals(new Outcome(1000, 0), result(run), why(run));
    }

    @Test
    void bulkWorkloadCountsEachBatchOnce() throws Exception {
        Cli.Result run = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "bulk", "--batch", "5",
                "--clients", "4", "--requests", "300", "--warmup", "0");
        assertEquals(new Outcome(300, 0), result(run), why(run));
        assertTrue(run.out().contains("entries/s"), why(run));
    }

    @Test
    void respProtocolAgainstTheNodesRespTransport() throws Exception {
        Cli.Result run = Cli.modkv("bench", "--protocol", "resp", "--connect", node.resp(), "--workload", "write",
                "--clients", "4", "--requests", "1000", "--warmup", "0");
        assertEquals(new Outcome(1000, 0), result(run), why(run));
        assertTrue(run.out().contains("resp protocol"), why(run));
        assertNativeIoOnLinux(run);
    }

    @Test
    void theLoadClientsUseNettysNativeIoOnLinux() throws Exception {
        Cli.Result run = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "write",
                "--clients", "8", "--connections", "4", "--requests", "400", "--warmup", "0");
        assertEquals(new Outcome(400, 0), result(run), why(run));
        assertNativeIoOnLinux(run);
    }

    /**
     * The launcher must put Netty's native modules in the boot layer; without them the client
     * and the bench fall back to NIO without a word.
     */
    private static void assertNativeIoOnLinux(Cli.Result run) throws IOException {
        if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertTrue(run.out().contains(" (io_uring)") || run.out().contains(" (epoll)"), why(run));
        }
    }

    @Test
    void openLoopAtAFixedRate() throws Exception {
        Cli.Result run = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "write", "--clients", "4",
                "--rate", "500", "--duration", "2", "--warmup", "0");
        Outcome outcome = result(run);
        // About rate x duration = 1000 requests; only their success is asserted, not the pace.
        assertTrue(outcome.ops() > 0, why(run));
        assertEquals(0, outcome.errors(), why(run));
        assertTrue(run.out().contains("open loop at 500 requests/s"), why(run));
    }

    @Test
    void plotOverlaysTwoRuns() throws Exception {
        Path a = tmp.resolve("a.hgrm");
        Path b = tmp.resolve("b.hgrm");
        Cli.Result write = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "write", "--clients", "2",
                "--requests", "200", "--warmup", "0", "--hgrm", a.toString());
        assertEquals(new Outcome(200, 0), result(write), why(write));
        Cli.Result read = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "read", "--clients", "2",
                "--requests", "200", "--warmup", "0", "--hgrm", b.toString());
        assertEquals(new Outcome(200, 0), result(read), why(read));

        Path both = tmp.resolve("both.svg");
        Cli.Result plot = Cli.modkv("plot", "--out", both.toString(), a.toString(), b.toString());
        assertEquals(0, plot.status(), why(plot));
        String chart = Files.readString(both);
        assertTrue(chart.contains("<svg") && chart.contains("</svg>"), chart);
        assertEquals(2, count(chart, "<polyline"), () -> "expected one polyline per run:\n" + chart);
        assertTrue(chart.contains(">a</text>") && chart.contains(">b</text>"),
                () -> "the legend names each run by its file:\n" + chart);
    }

    @Test
    void unknownWorkloadIsAUsageErrorNamingTheAllowedOnes() throws Exception {
        Cli.Result run = Cli.modkv("bench", "--connect", node.tcp(), "--workload", "nope", "--requests", "10");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("nope"), run::toString);
        for (String workload : List.of("write", "read", "mixed", "bulk")) {
            assertTrue(run.err().contains(workload), () -> "stderr does not name " + workload + ": " + run);
        }
        assertFalse(RESULT.matcher(run.out()).find(), run::toString);
    }

    @Test
    void closedPortIsAClearError() throws Exception {
        String closed = "127.0.0.1:" + ExternalTools.freePort();
        Cli.Result run = Cli.modkv("bench", "--connect", closed, "--workload", "write", "--requests", "10",
                "--warmup", "0");
        assertEquals(2, run.status(), run::toString);
        assertTrue(run.err().contains("cannot connect") && run.err().contains(closed), run::toString);
        assertFalse(RESULT.matcher(run.out()).find(), run::toString);
    }

    @Test
    void respProtocolAgainstARealRedis() throws Exception {
        Optional<Path> redisServer = ExternalTools.find("redis-server");
        assumeTrue(redisServer.isPresent(), "redis-server is not on PATH (CI installs it: apt-get install redis-server)");
        int port = ExternalTools.freePort();
        Path redisDir = Files.createDirectories(tmp.resolve("redis"));
        Path log = redisDir.resolve("redis.log");
        Process redis = new ProcessBuilder(redisServer.get().toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", redisDir.toString())
                .directory(redisDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            awaitPong(redis, port, log);
            Cli.Result run = Cli.modkv("bench", "--protocol", "resp", "--connect", "127.0.0.1:" + port,
                    "--workload", "write", "--clients", "4", "--requests", "1000", "--warmup", "0");
            assertEquals(new Outcome(1000, 0), result(run), run::toString);
        } finally {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) {
                redis.destroyForcibly();
                redis.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits (bounded) until redis-server answers PING on {@code port}. */
    private static void awaitPong(Process redis, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!redis.isAlive()) {
                fail("redis-server exited " + redis.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = new byte[7];
                int n = in.readNBytes(reply, 0, reply.length);
                if (new String(reply, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("redis-server did not answer PING on 127.0.0.1:" + port + " within 30 s:\n" + Files.readString(log));
    }

    /** Exit 0 and exactly one RESULT line; its ops and errors. */
    private static Outcome result(Cli.Result run) throws IOException {
        assertEquals(0, run.status(), why(run));
        Matcher m = RESULT.matcher(run.out());
        List<Outcome> found = new ArrayList<>();
        while (m.find()) {
            found.add(new Outcome(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
        assertEquals(1, found.size(), () -> "expected one RESULT line: " + run);
        return found.get(0);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    private static Supplier<String> why(Cli.Result result) throws IOException {
        String log = node.stderr();
        return () -> result + "\n  node alive: " + node.isAlive() + "\n  node stderr (tail):\n"
                + RespToolsIT.tail(log, 4000);
    }
}
