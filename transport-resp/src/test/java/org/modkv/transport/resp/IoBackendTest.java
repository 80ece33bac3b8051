package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.modkv.netty.NettyIo;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * {@code resp.io.transport}: every I/O backend either serves Redis clients (concurrent
 * connections, pipelining, a value larger than the socket buffers) or, where this machine
 * cannot run it, refuses to start with a message that says why.
 */
class IoBackendTest {

    @ParameterizedTest
    @EnumSource(NettyIo.class)
    void eachBackendServesRedisClientsOrRefusesToStartSayingWhy(NettyIo backend) throws Exception {
        Map<String, String> settings = Map.of("resp.io.transport", backend.configName());
        String why = backend.unavailability();
        if (why != null) {
            IOException refused = assertThrows(IOException.class, () -> RespFixture.start(settings));
            String expected = "resp.io.transport=" + backend.configName() + " cannot run here";
            assertTrue(refused.getMessage().startsWith(expected), refused.getMessage());
            return;
        }
        try (RespFixture fixture = RespFixture.start(settings)) {
            assertEquals(backend, fixture.server.io());
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        try (Jedis jedis = fixture.jedis()) {
                            Pipeline pipeline = jedis.pipelined();
                            List<Response<String>> sets = new ArrayList<>();
                            for (int i = 0; i < 250; i++) {
                                sets.add(pipeline.set("c" + client + ":" + i, "v" + i));
                            }
                            pipeline.sync();
                            for (Response<String> set : sets) {
                                assertEquals("OK", set.get());
                            }
                            for (int i = 0; i < 250; i++) {
                                assertEquals("v" + i, jedis.get("c" + client + ":" + i));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            byte[] large = new byte[4 << 20];
            Arrays.fill(large, (byte) 'x');
            large[large.length - 1] = 'y';
            byte[] key = "large".getBytes(StandardCharsets.US_ASCII);
            try (Jedis writer = fixture.jedis(); Jedis reader = fixture.jedis()) {
                assertEquals("OK", writer.set(key, large));
                assertArrayEquals(large, reader.get(key));
            }
        }
    }

    @Test
    void autoTakesTheFirstOfIoUringEpollNioThatRunsHere() throws Exception {
        NettyIo expected = Arrays.stream(NettyIo.values()).filter(io -> io.unavailability() == null).findFirst()
                .orElseThrow();
        try (RespFixture fixture = RespFixture.start()) {
            assertEquals(expected, fixture.server.io());
        }
    }
}
