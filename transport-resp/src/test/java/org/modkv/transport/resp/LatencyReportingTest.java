package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.RequestOperation;
import org.modkv.testkit.transport.RecordedLatencies;

/** Each served request reaches the node's latency recorder once, under its operation, measured to the write. */
class LatencyReportingTest {

    @Test
    void everyReplyIsRecordedUnderItsOperationWithErrorsMarked() throws Exception {
        try (RespFixture resp = RespFixture.start(); RawClient client = resp.raw()) {
            client.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
            assertEquals("+OK", line(client));
            client.send("GET k\r\nMGET k k\r\nDEL k\r\nMSET a 1 b 2\r\nPING\r\nNOSUCH x\r\n");
            assertEquals("$1", line(client));
            assertEquals("v", line(client));
            assertEquals("*2", line(client));
            for (int i = 0; i < 4; i++) {
                line(client);
            }
            assertEquals(":1", line(client));
            assertEquals("+OK", line(client));
            assertEquals("+PONG", line(client));
            assertTrue(line(client).startsWith("-ERR unknown command"));
            RecordedLatencies latencies = awaitRecords(resp, 7);
            assertEquals(1, latencies.of(RequestOperation.PUT).size());
            assertEquals(2, latencies.of(RequestOperation.GET).size(), "GET and MGET");
            assertEquals(1, latencies.of(RequestOperation.DELETE).size());
            assertEquals(1, latencies.of(RequestOperation.BATCH).size(), "MSET");
            List<RecordedLatencies.Served> other = latencies.of(RequestOperation.OTHER);
            assertEquals(2, other.size(), "PING and the unknown command");
            assertEquals(1, other.stream().filter(RecordedLatencies.Served::failed).count(), "only the unknown command failed");
            assertTrue(latencies.all().stream().allMatch(s -> s.nanos() >= 0), latencies.all().toString());
        }
    }

    @Test
    void latencyRunsFromArrivalUntilTheReplyIsWrittenIncludingTheKernelsTime() throws Exception {
        try (RespFixture resp = RespFixture.start(); RawClient client = resp.raw()) {
            resp.kernel.completeReadsOn(CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS));
            client.send("GET slow\r\n");
            assertEquals("$-1", line(client));
            RecordedLatencies.Served get = awaitRecords(resp, 1).of(RequestOperation.GET).get(0);
            assertTrue(get.nanos() >= TimeUnit.MILLISECONDS.toNanos(150), get.toString());
            assertFalse(get.failed());
        }
    }

    @Test
    void transportCountsTheBytesItReadsAndWrites() throws Exception {
        try (RespFixture resp = RespFixture.start(); RawClient client = resp.raw()) {
            client.send("PING\r\n");               // 6 bytes in
            assertEquals("+PONG", line(client));  // 7 bytes out
            client.send("ECHO hello\r\n");         // 12 bytes in
            assertEquals("$5", line(client));     // "$5\r\nhello\r\n": 11 bytes out
            assertEquals("hello", line(client));
            awaitRecords(resp, 2);
            Map<String, Object> stats = resp.server.stats();
            assertEquals(18L, stats.get("bytes_received"));
            assertEquals(18L, stats.get("bytes_sent"));
            assertEquals(2L, stats.get("requests"));
        }
    }

    private static String line(RawClient client) throws java.io.IOException {
        String line = client.line();
        return line.substring(0, line.length() - 2);
    }

    private static RecordedLatencies awaitRecords(RespFixture resp, int count) throws InterruptedException {
        RecordedLatencies latencies = resp.latencies();
        assertEquals(count, latencies.await(count, 5_000), latencies.all().toString());
        return latencies;
    }
}
