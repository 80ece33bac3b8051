package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * Expiry through Jedis: SET EX/PX/KEEPTTL, EXPIRE/PEXPIRE (NX/XX/GT/LT), TTL/PTTL, PERSIST, and
 * lazy expiry on read. No test waits for a clock: expiries are either far ahead or already past.
 */
class ExpiryCommandsTest extends JedisTestBase {

    @Test
    void ttlAnswersMinusTwoForAbsentMinusOneWithoutExpiryElseTheTimeLeft() {
        assertEquals(-2, jedis.ttl("k"));
        jedis.set("k", "v");
        assertEquals(-1, jedis.ttl("k"));
        jedis.set("k", "v", SetParams.setParams().ex(100));
        long ttl = jedis.ttl("k");
        assertTrue(ttl > 0 && ttl <= 100, "ttl " + ttl);
        long pttl = jedis.pttl("k");
        assertTrue(pttl > 0 && pttl <= 100_000, "pttl " + pttl);
        jedis.set("k", "v2");
        assertEquals(-1, jedis.ttl("k"), "a SET without options clears the expiry");
    }

    @Test
    void expireSetsAndPersistRemovesAndKeepTtlKeeps() {
        assertEquals(0, jedis.expire("absent", 100));
        jedis.set("k", "v");
        assertEquals(1, jedis.expire("k", 100));
        jedis.set("k", "v2", SetParams.setParams().keepTtl());
        assertTrue(jedis.ttl("k") > 0, "KEEPTTL keeps it");
        assertEquals("v2", jedis.get("k"));
        jedis.incr("n");
        jedis.pexpire("n", 100_000);
        jedis.incr("n");
        assertTrue(jedis.pttl("n") > 0, "INCR keeps the expiry");
        assertEquals(1, jedis.persist("k"));
        assertEquals(0, jedis.persist("k"));
        assertEquals(-1, jedis.ttl("k"));
    }

    @Test
    void expireOptionsFollowRedis() {
        jedis.set("k", "v");
        assertEquals(0L, jedis.sendCommand(new Raw("EXPIRE"), "k", "100", "XX"), "XX needs an expiry");
        assertEquals(1L, jedis.sendCommand(new Raw("EXPIRE"), "k", "100", "NX"));
        assertEquals(0L, jedis.sendCommand(new Raw("EXPIRE"), "k", "200", "NX"));
        assertEquals(0L, jedis.sendCommand(new Raw("EXPIRE"), "k", "50", "GT"));
        assertEquals(1L, jedis.sendCommand(new Raw("EXPIRE"), "k", "50", "LT"));
        assertTrue(jedis.ttl("k") <= 50);
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("EXPIRE"), "k", "ten"));
        assertEquals("ERR value is not an integer or out of range", e.getMessage());
    }

    @Test
    void aTimeAlreadyPastDeletesTheKeyAndAnExpiredKeyReadsAsAbsent() {
        jedis.set("k", "v");
        assertEquals(1, jedis.expire("k", -1));
        assertNull(jedis.get("k"));
        assertEquals(-2, jedis.ttl("k"));
        jedis.sendCommand(new Raw("SET"), "old", "v", "PXAT", "1");
        assertNull(jedis.get("old"), "expired at 1970-01-01: gone on read");
        assertEquals(0, jedis.exists("old") ? 1 : 0);
        assertEquals("OK", jedis.set("old", "new", SetParams.setParams().nx()), "an expired key is absent for NX");
    }
}
