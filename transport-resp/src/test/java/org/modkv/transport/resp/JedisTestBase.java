package org.modkv.transport.resp;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Tests that talk to one running transport through Jedis: the transport starts once per class
 * ({@link RespFixture}), and each test gets an emptied in-memory kernel and its own connection.
 */
abstract class JedisTestBase {
    static RespFixture fixture;
    Jedis jedis;

    /** A command Jedis has no method for. */
    record Raw(String name) implements ProtocolCommand {
        @Override
        public byte[] getRaw() {
            return name.getBytes(StandardCharsets.US_ASCII);
        }
    }

    @BeforeAll
    static void startTransport() throws Exception {
        fixture = RespFixture.start();
    }

    @AfterAll
    static void stopTransport() {
        fixture.close();
    }

    @BeforeEach
    void connect() {
        fixture.kernel.clear();
        jedis = fixture.jedis();
    }

    @AfterEach
    void disconnect() {
        jedis.close();
    }
}
