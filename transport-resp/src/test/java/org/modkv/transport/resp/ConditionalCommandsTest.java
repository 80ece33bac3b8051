package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/** SET NX|XX|GET, SETNX, GETSET, counters and modkv's VGET/CAS/CAD, through Jedis, with Redis' replies. */
class ConditionalCommandsTest extends JedisTestBase {

    @Test
    void setNxWritesOnlyAnAbsentKeyAndXxOnlyAPresentOne() {
        assertNull(jedis.set("k", "v0", SetParams.setParams().xx()), "XX on an absent key: nil, nothing written");
        assertNull(jedis.get("k"));
        assertEquals("OK", jedis.set("k", "v1", SetParams.setParams().nx()));
        assertNull(jedis.set("k", "v2", SetParams.setParams().nx()), "NX on a present key: nil");
        assertEquals("v1", jedis.get("k"));
        assertEquals("OK", jedis.set("k", "v3", SetParams.setParams().xx()));
        assertEquals("v3", jedis.get("k"));
    }

    @Test
    void setGetAnswersTheOldValueAndGetsetToo() {
        assertNull(jedis.setGet("k", "one"));
        assertEquals("one", jedis.setGet("k", "two"));
        assertEquals("two", jedis.getSet("k", "three"));
        assertEquals("three", jedis.get("k"));
        assertEquals("three", jedis.setGet("k", "four", SetParams.setParams().nx()), "NX GET: old value, no write");
        assertEquals("three", jedis.get("k"));
    }

    @Test
    void setnxAnswersOneOrZero() {
        assertEquals(1, jedis.setnx("k", "first"));
        assertEquals(0, jedis.setnx("k", "second"));
        assertEquals("first", jedis.get("k"));
    }

    @Test
    void countersCountAndRefuseNonIntegersWithRedisText() {
        assertEquals(1, jedis.incr("c"));
        assertEquals(11, jedis.incrBy("c", 10));
        assertEquals(10, jedis.decr("c"));
        assertEquals(-5, jedis.decrBy("c", 15));
        assertEquals("-5", jedis.get("c"));
        jedis.set("text", "12a");
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.incr("text"));
        assertEquals("ERR value is not an integer or out of range", e.getMessage());
        assertEquals("12a", jedis.get("text"), "a refused INCR writes nothing");
        jedis.set("big", Long.toString(Long.MAX_VALUE));
        e = assertThrows(JedisDataException.class, () -> jedis.incr("big"));
        assertEquals("ERR increment or decrement would overflow", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("INCRBY"), "c", "x"));
        assertEquals("ERR value is not an integer or out of range", e.getMessage());
    }

    @Test
    void pipelinedIncrementsOnOneKeyAllCount() {
        Pipeline pipeline = jedis.pipelined();
        List<Response<Long>> replies = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            replies.add(pipeline.incr("p"));
        }
        pipeline.sync();
        for (int i = 0; i < 50; i++) {
            assertEquals(i + 1, replies.get(i).get());
        }
        assertEquals("50", jedis.get("p"));
    }

    @Test
    void casAndCadSucceedOnlyOnTheVersionVgetAnswered() {
        jedis.set("k", "v1");
        List<Object> versioned = vget("k");
        assertEquals("v1", new String((byte[]) versioned.get(0), StandardCharsets.UTF_8));
        long version = (Long) versioned.get(1);
        assertTrue(version > 0);
        assertEquals(1L, jedis.sendCommand(new Raw("CAS"), "k", Long.toString(version), "v2"));
        assertEquals(0L, jedis.sendCommand(new Raw("CAS"), "k", Long.toString(version), "v3"), "stale version");
        assertEquals("v2", jedis.get("k"));
        long next = (Long) vget("k").get(1);
        assertTrue(next > version, "every write gives the key a higher version");
        assertEquals(0L, jedis.sendCommand(new Raw("CAD"), "k", Long.toString(version)));
        assertEquals(1L, jedis.sendCommand(new Raw("CAD"), "k", Long.toString(next)));
        assertNull(jedis.get("k"));
        assertNull(jedis.sendCommand(new Raw("VGET"), "k"));
        assertEquals(0L, jedis.sendCommand(new Raw("CAS"), "k", "0", "v"), "CAS on an absent key fails");
        JedisDataException e = assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(new Raw("CAS"), "k", "-1", "v"));
        assertTrue(e.getMessage().startsWith("ERR a version"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private List<Object> vget(String key) {
        return (List<Object>) jedis.sendCommand(new Raw("VGET"), key);
    }
}
