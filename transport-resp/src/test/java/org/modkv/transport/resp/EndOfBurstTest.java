package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.netty.NettyIo;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The transport tells the kernel when an event-loop pass that submitted writes has ended
 * ({@code RequestHandler.endOfBurst}), on the event loop, so storage can commit the pass's
 * writes there; and replies to writes that storage completes only then still go out.
 */
class EndOfBurstTest {

    @Test
    void writesCompletedOnlyAtTheEndOfThePassGetTheirReplies() throws Exception {
        try (RespFixture resp = RespFixture.start(); Jedis jedis = resp.jedis()) {
            resp.kernel.holdWritesUntilEndOfBurst(true);
            assertEquals("OK", jedis.set("single", "1"));
            Pipeline pipeline = jedis.pipelined();
            List<Response<String>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                replies.add(pipeline.set("k" + i, "v" + i));
            }
            Response<String> read = pipeline.get("k99");
            pipeline.sync();
            for (Response<String> reply : replies) {
                assertEquals("OK", reply.get());
            }
            assertEquals("v99", read.get(), "a read after pipelined writes sees them");
            List<String> threads = resp.kernel.endOfBurstThreads();
            assertFalse(threads.isEmpty());
            assertTrue(threads.size() <= 102, "at most one call per pass, not one per write: " + threads.size());
            assertTrue(threads.stream().allMatch(name -> name.startsWith("modkv-resp-io")),
                    "called on the event loop: " + threads);
            assertTrue(resp.kernel.endOfBurstFsyncs().stream().allMatch(f -> f == EventLoopFsync.NONE),
                    "without resp.io.async.fsync a loop offers no fsync");
        }
    }

    @Test
    void withAsyncFsyncEachEndOfAPassCarriesItsLoopsIoUringFsync() throws Exception {
        assumeTrue(NettyIo.IO_URING.unavailability() == null, "io_uring cannot run here");
        try (RespFixture resp = RespFixture.start(Map.of("resp.io.transport", "io_uring", "resp.io.async.fsync", "true",
                "resp.io.threads", "2"));
             Jedis one = resp.jedis(); Jedis two = resp.jedis()) {
            for (int i = 0; i < 50; i++) {
                assertEquals("OK", (i % 2 == 0 ? one : two).set("k" + i, "v" + i));
            }
            List<String> threads = resp.kernel.endOfBurstThreads();
            List<EventLoopFsync> fsyncs = resp.kernel.endOfBurstFsyncs();
            assertFalse(fsyncs.isEmpty());
            Map<String, EventLoopFsync> byLoop = new HashMap<>();
            for (int i = 0; i < fsyncs.size(); i++) {
                assertNotSame(EventLoopFsync.NONE, fsyncs.get(i), "an io_uring loop passes its fsync");
                EventLoopFsync first = byLoop.putIfAbsent(threads.get(i), fsyncs.get(i));
                assertTrue(first == null || first == fsyncs.get(i), "a loop always passes its own fsync");
            }
        }
    }

    @Test
    void passesWithoutWritesDoNotCallIt() throws Exception {
        try (RespFixture resp = RespFixture.start(); Jedis jedis = resp.jedis()) {
            for (int i = 0; i < 20; i++) {
                jedis.get("absent" + i);
                jedis.exists("absent" + i);
            }
            jedis.ping();
            assertEquals(List.of(), resp.kernel.endOfBurstThreads());
            jedis.set("now", "a write");
            // The pass ends just after the reply is written: wait for it (bounded).
            for (int i = 0; i < 500 && resp.kernel.endOfBurstThreads().isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertEquals(1, resp.kernel.endOfBurstThreads().size());
        }
    }
}
