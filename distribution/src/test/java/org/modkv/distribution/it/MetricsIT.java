package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint ({@code metrics.listen}, Prometheus text format 0.0.4) and
 * {@code modkv stats} of a real node process after a few requests over the tcp transport.
 */
class MetricsIT {
    /** One sample: name, optional labels, value (comments and blank lines are skipped). */
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\""
                    + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*\\})?) (\\S+)( -?\\d+)?$");

    @TempDir
    Path dir;

    @Test
    void metricsEndpointAndStatsReportTheRequests() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), "--set", "wal.sync=always",
                "--set", "transports=tcp,resp")) {
            String tcp = node.tcp();
            for (int i = 1; i <= 3; i++) {
                Cli.Result put = Cli.modkv("put", "metric:" + i, "value" + i, "--connect", tcp);
                assertEquals(0, put.status(), put::toString);
            }
            Cli.Result get = Cli.modkv("get", "metric:2", "--connect", tcp);
            assertEquals("value2\n", get.out(), get::toString);

            // HttpURLConnection, not java.net.http: the tests run inside org.modkv.distribution, which does not read it.
            Http response = get("http://" + node.metrics() + "/metrics");
            String body = response.body();
            assertEquals(200, response.status(), body);
            String contentType = response.contentType();
            assertTrue(contentType.startsWith("text/plain; version=0.0.4"), "Content-Type: " + contentType);

            Map<String, Double> samples = parse(body);
            assertEquals(3.0, sample(samples, "modkv_requests_count{op=\"put\"}", body), body);
            assertEquals(0.0, sample(samples, "modkv_requests_errors{op=\"put\"}", body), body);
            assertEquals(1.0, sample(samples, "modkv_requests_count{op=\"get\"}", body), body);
            assertEquals(3.0, sample(samples, "modkv_keyspace_keys", body), body);
            assertEquals(3.0, sample(samples, "modkv_storage_keys", body), body);
            // wal.sync=always and one put after another: each acknowledgement waited for its own fsync.
            assertTrue(sample(samples, "modkv_storage_fsyncs", body) >= 3, body);
            assertEquals(1.0, sample(samples, "modkv_storage_sync{value=\"always\"}", body), body);
            // A merge that keeps failing shows here, not only in the log.
            assertEquals(0.0, sample(samples, "modkv_storage_merge_failures", body), body);
            assertEquals(1.0, sample(samples, "modkv_storage_merge_reclaiming{value=\"yes\"}", body), body);
            // Four one-shot commands, one connection each; how many are still open depends on when the
            // server saw them close, so the open gauges are only required to be there.
            assertTrue(sample(samples, "modkv_tcp_accepted{name=\"connections\"}", body) >= 4, body);
            assertTrue(sample(samples, "modkv_tcp_open{name=\"connections\"}", body) >= 0, body);
            assertTrue(sample(samples, "modkv_resp_open{name=\"connections\"}", body) >= 0, body);
            assertTrue(sample(samples, "modkv_tcp_bytes_received", body) > 0, body);
            assertTrue(sample(samples, "modkv_tcp_bytes_sent", body) > 0, body);
            assertTrue(sample(samples, "modkv_resp_bytes_received", body) >= 0, body);

            // The default node runs the fulltext index: its pipeline figures and its own are exposed too.
            assertEquals(1.0, sample(samples, "modkv_indexes_state{index=\"fulltext\",value=\"ok\"}", body), body);
            assertEquals(0.0, sample(samples, "modkv_indexes_failures{index=\"fulltext\"}", body), body);
            assertEquals(0.0, sample(samples, "modkv_indexes_overflows{index=\"fulltext\"}", body), body);
            assertTrue(sample(samples, "modkv_indexes_applied_sequence{index=\"fulltext\"}", body) >= 0, body);
            assertTrue(sample(samples, "modkv_indexes_docs{index=\"fulltext\"}", body) >= 0, body);
            assertEquals(0.0, sample(samples, "modkv_indexes_queries_rejected", body), body);

            Http missing = get("http://" + node.metrics() + "/nope");
            assertEquals(404, missing.status(), missing.body());

            Cli.Result stats = Cli.modkv("stats", "--connect", tcp);
            assertEquals(0, stats.status(), stats::toString);
            assertTrue(stats.out().contains("[requests]") && stats.out().contains("[storage]"), stats::toString);
            assertTrue(Pattern.compile("(?m)^put\\.count\\s+3$").matcher(stats.out()).find(), stats::toString);
            assertTrue(Pattern.compile("(?m)^keys\\s+3$").matcher(stats.out()).find(), stats::toString);
            assertTrue(stats.out().contains("[indexes]"), stats::toString);
            assertTrue(Pattern.compile("(?m)^fulltext\\.state\\s+ok$").matcher(stats.out()).find(), stats::toString);
        }
    }

    record Http(int status, String contentType, String body) {
    }

    /** GET {@code url} with bounded connect and read timeouts. */
    private static Http get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(20_000);
        try {
            int status = connection.getResponseCode();
            InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String contentType = connection.getContentType();
            return new Http(status, contentType == null ? "" : contentType, body);
        } finally {
            connection.disconnect();
        }
    }

    /** Every sample of an exposition; fails on a line that is neither a sample nor a comment. */
    private static Map<String, Double> parse(String body) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                fail("not a Prometheus text-format sample: '" + line + "'\n" + body);
            }
            double value;
            try {
                value = Double.parseDouble(m.group(2).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
            } catch (NumberFormatException e) {
                throw new AssertionError("bad sample value in '" + line + "'", e);
            }
            if (samples.put(m.group(1), value) != null) {
                fail("sample " + m.group(1) + " appears twice:\n" + body);
            }
        }
        return samples;
    }

    private static double sample(Map<String, Double> samples, String series, String body) {
        Double value = samples.get(series);
        if (value == null) {
            fail("no sample " + series + " in:\n" + body);
        }
        return value;
    }
}
