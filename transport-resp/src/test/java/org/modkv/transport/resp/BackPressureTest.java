package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Pipelining with out-of-order kernel completions, and the bounds on what a connection makes
 * the node buffer. Waits are bounded polls for a state, never a timing threshold.
 */
class BackPressureTest {

    /** Polls {@code condition} up to about 20 s; fails with {@code what} if it never holds. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never happened: " + what);
    }

    private static ConnectionStats stats(RespFixture fixture) throws InterruptedException {
        return fixture.onlyConnection();
    }

    /** Whether the server has accepted the one connection and stopped reading from it. */
    private static boolean readingPaused(RespFixture fixture) {
        try {
            return fixture.connection().map(stats -> !stats.reading()).orElse(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] getRequests(int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            out.writeBytes(RawClient.command("GET", "k" + i));
        }
        return out.toByteArray();
    }

    @Test
    void repliesLeaveInRequestOrderWhenTheKernelCompletesNewestFirst() throws Exception {
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            for (int i = 0; i < 50; i++) {
                fixture.kernel.put(("k" + i).getBytes(StandardCharsets.US_ASCII), ("v" + i).getBytes(StandardCharsets.US_ASCII));
            }
            fixture.kernel.parkReads(true);
            client.send(getRequests(0, 50));
            await("50 reads parked", () -> fixture.kernel.parkedCount() == 50);
            assertEquals(50, fixture.kernel.releaseParkedNewestFirst());
            for (int i = 0; i < 50; i++) {
                assertEquals("v" + i, new String(client.bulk(), StandardCharsets.US_ASCII), "reply " + i);
            }
        }
    }

    @Test
    void jedisPipelineRepliesInOrderWhenTheKernelCompletesOnOtherThreads() throws Exception {
        ExecutorService kernelThreads = Executors.newFixedThreadPool(2);
        try (RespFixture fixture = RespFixture.start(); Jedis jedis = fixture.jedis()) {
            for (int i = 0; i < 100; i++) {
                fixture.kernel.put(("k" + i).getBytes(StandardCharsets.US_ASCII), ("v" + i).getBytes(StandardCharsets.US_ASCII));
            }
            fixture.kernel.completeReadsOn(kernelThreads);
            Pipeline pipeline = jedis.pipelined();
            List<Response<String>> replies = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                replies.add(pipeline.get("k" + (i % 100)));
            }
            pipeline.sync();
            for (int i = 0; i < replies.size(); i++) {
                assertEquals("v" + (i % 100), replies.get(i).get(), "reply " + i);
            }
        } finally {
            kernelThreads.shutdownNow();
        }
    }

    @Test
    void pipelinedRequestsBeyondThePendingLimitStayInTheSocketUntilRepliesDrain() throws Exception {
        int limit = 8;
        int total = 100;
        try (RespFixture fixture = RespFixture.start(Map.of("resp.max.pending.requests", Integer.toString(limit)));
             RawClient client = fixture.raw()) {
            for (int i = 0; i < total; i++) {
                fixture.kernel.put(("k" + i).getBytes(StandardCharsets.US_ASCII), ("v" + i).getBytes(StandardCharsets.US_ASCII));
            }
            fixture.kernel.parkReads(true);
            client.send(getRequests(0, total)); // all at once, no reply read yet

            await("reading paused with " + limit + " requests in flight",
                    () -> fixture.kernel.parkedCount() == limit && readingPaused(fixture));
            ConnectionStats paused = stats(fixture);
            assertEquals(limit, paused.pending());
            assertEquals(limit, paused.requests(), "not one request parsed beyond the limit");
            assertTrue(paused.readPauses() >= 1);

            int received = 0;
            while (received < total) {
                int expected = Math.min(limit, total - received);
                await(expected + " reads parked", () -> fixture.kernel.parkedCount() == expected);
                assertEquals(expected, fixture.kernel.releaseParkedNewestFirst());
                for (int i = 0; i < expected; i++, received++) {
                    assertEquals("v" + received, new String(client.bulk(), StandardCharsets.US_ASCII), "reply " + received);
                }
            }
            assertEquals(limit, fixture.kernel.mostOutstanding(), "never more than the limit in the kernel");
            ConnectionStats end = stats(fixture);
            assertEquals(limit, end.mostPending());
            assertEquals(total, end.requests());
            assertEquals(0, end.pending());
            assertTrue(end.reading(), "reading again once drained");
        }
    }

    @Test
    void clientThatDoesNotReadItsRepliesMakesTheServerStopReadingNotBuffer() throws Exception {
        int valueBytes = 256 * 1024;
        int requests = 200; // 50 MiB of replies: far more than the socket buffers hold
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i % 251);
        }
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            fixture.kernel.put("big".getBytes(StandardCharsets.US_ASCII), value);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < requests; i++) {
                all.writeBytes(RawClient.command("GET", "big"));
            }
            client.send(all.toByteArray());

            await("the server stops reading from a client that does not read", () -> readingPaused(fixture));
            ConnectionStats paused = stats(fixture);
            assertTrue(paused.requests() < requests, "paused after " + paused.requests() + " requests");

            for (int i = 0; i < requests; i++) {
                assertArrayEquals(value, client.bulk(), "reply " + i);
            }
            ConnectionStats end = stats(fixture);
            assertEquals(requests, end.requests());
            // Unbounded, this would be ~50 MiB; bounded it is the high water mark plus about one reply.
            assertTrue(end.mostQueuedBytes() < 4L * valueBytes, "queued up to " + end.mostQueuedBytes() + " bytes");
            assertFalse(end.mostQueuedBytes() == 0, "the measure saw the queue");
        }
    }
    @Test
    void getsWaitingBehindAWriteAreNotReadAheadForAClientThatDoesNotRead() throws Exception {
        int valueBytes = 256 * 1024;
        int gets = 200; // 50 MiB of replies, all waiting for the SET before them
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i % 241);
        }
        try (RespFixture fixture = RespFixture.start(); RawClient client = fixture.raw()) {
            fixture.kernel.put("big".getBytes(StandardCharsets.US_ASCII), value);
            fixture.kernel.holdWritesUntilEndOfBurst(true); // the SET completes at the end of the pass, as storage does
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(RawClient.command("SET", "k", "v"));
            for (int i = 0; i < gets; i++) {
                all.writeBytes(RawClient.command("GET", "big"));
            }
            client.send(all.toByteArray());

            await("the server stops reading from a client that does not read", () -> readingPaused(fixture));
            ConnectionStats paused = stats(fixture);
            assertTrue(paused.mostQueuedBytes() < 4L * valueBytes,
                    "queued up to " + paused.mostQueuedBytes() + " bytes for a client that reads nothing");

            assertEquals("+OK\r\n", client.line());
            for (int i = 0; i < gets; i++) {
                assertArrayEquals(value, client.bulk(), "reply " + i);
            }
            assertEquals(gets + 1, stats(fixture).requests());
        }
    }
}
