package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** SCAN and KEYS through Jedis: a full pass, MATCH, COUNT, the cursor's form and errors. */
class ScanCommandsTest extends JedisTestBase {

    @Test
    void aScanPassReturnsEveryKeyOnceWhileWritesGoOn() {
        for (int i = 0; i < 120; i++) {
            jedis.set("key:" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int round = 0;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(25));
            for (String key : page.getResult()) {
                assertTrue(seen.add(key), key + " returned twice");
            }
            jedis.set("key:" + page.getResult().get(0), "rewritten");
            jedis.set("new:" + round++, "v");
            cursor = page.getCursor();
            assertTrue(cursor.matches("[0-9]+"), "a decimal cursor, as redis-py parses it: " + cursor);
        } while (!cursor.equals("0"));
        for (int i = 0; i < 120; i++) {
            assertTrue(seen.contains("key:" + i), "key:" + i);
        }
    }

    @Test
    void matchFiltersAndKeysAnswersEveryMatch() {
        jedis.mset("user:1", "a", "user:2", "b", "users", "c", "order:1", "d", "User:3", "e");
        List<String> matched = new ArrayList<>();
        String cursor = "0";
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("user:*").count(1));
            matched.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(List.of("user:1", "user:2"), matched);
        assertEquals(new TreeSet<>(List.of("user:1", "user:2", "users")), new TreeSet<>(jedis.keys("user*")));
        assertEquals(5, jedis.keys("*").size());
        assertEquals(Set.of("order:1"), jedis.keys("?rder:[0-9]"));
        assertTrue(jedis.scan("0", new ScanParams().match("zzz*")).getResult().isEmpty());
    }

    @Test
    void aBinaryKeyRoundTripsThroughTheCursor() {
        byte[] key = {0, (byte) 0xFF, 7};
        jedis.set(key, "v".getBytes());
        jedis.set("a".getBytes(), "v".getBytes());
        ScanResult<byte[]> first = jedis.scan("0".getBytes(), new ScanParams().count(1));
        ScanResult<byte[]> second = jedis.scan(first.getCursorAsBytes(), new ScanParams().count(1));
        assertArrayEquals(key, first.getResult().get(0));
        assertArrayEquals("a".getBytes(), second.getResult().get(0));
    }

    @Test
    void badCursorsAndOptionsAreErrors() {
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.scan("abc"));
        assertEquals("ERR invalid cursor", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.scan("12"));
        assertEquals("ERR invalid cursor", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("SCAN"), "0", "COUNT", "0"));
        assertTrue(e.getMessage().startsWith("ERR syntax error"), e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("SCAN"), "0", "SORT", "x"));
        assertTrue(e.getMessage().startsWith("ERR syntax error"), e.getMessage());
    }

    @Test
    void flushallDeletesEveryKeyAcrossPages() {
        for (int i = 0; i < 250; i++) {
            jedis.set("f" + i, "v");
        }
        assertEquals("OK", jedis.flushAll());
        assertEquals(0, jedis.dbSize());
        assertTrue(jedis.keys("*").isEmpty());
        jedis.set("again", "v");
        assertEquals("OK", jedis.flushDB());
        assertEquals(0, jedis.dbSize());
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("FLUSHALL"), "NOW"));
        assertTrue(e.getMessage().startsWith("ERR syntax error"), e.getMessage());
    }
}
