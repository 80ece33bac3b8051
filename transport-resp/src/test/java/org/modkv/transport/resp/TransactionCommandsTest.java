package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/** MULTI/EXEC/DISCARD/WATCH through Jedis' Transaction, with Redis' replies and errors. */
class TransactionCommandsTest extends JedisTestBase {

    @Test
    void queuedCommandsRunTogetherAndAnswerInOrder() {
        jedis.set("counter", "10");
        Transaction tx = jedis.multi();
        Response<String> set = tx.set("a", "1");
        Response<Long> incr = tx.incr("counter");
        Response<String> get = tx.get("a");
        Response<Long> del = tx.del("missing");
        List<Object> results = tx.exec();
        assertEquals(4, results.size());
        assertEquals("OK", set.get());
        assertEquals(11L, incr.get());
        assertEquals("1", get.get(), "a command sees the effect of the ones queued before it");
        assertEquals(0L, del.get());
        assertEquals("11", jedis.get("counter"));
    }

    @Test
    void aRunTimeErrorAnswersInItsSlotAndTheOthersStillApply() {
        jedis.set("text", "abc");
        Transaction tx = jedis.multi();
        tx.set("x", "1");
        tx.incr("text");
        tx.set("y", "2");
        List<Object> results = tx.exec();
        assertEquals("OK", results.get(0));
        assertInstanceOf(JedisDataException.class, results.get(1));
        assertEquals("ERR value is not an integer or out of range", ((Exception) results.get(1)).getMessage());
        assertEquals("1", jedis.get("x"));
        assertEquals("2", jedis.get("y"));
        assertEquals("abc", jedis.get("text"));
    }

    @Test
    void aWatchedKeyChangedByAnotherClientAbortsExecWithANullReply() {
        jedis.set("balance", "100");
        assertEquals("OK", jedis.watch("balance"));
        try (Jedis other = fixture.jedis()) {
            other.set("balance", "50");
        }
        Transaction tx = jedis.multi();
        tx.set("balance", "0");
        tx.set("audit", "emptied");
        assertNull(tx.exec(), "EXEC after a watched key changed answers a null array");
        assertEquals("50", jedis.get("balance"));
        assertNull(jedis.get("audit"), "nothing of the transaction was written");
        // The watch is gone after EXEC: the next transaction applies.
        Transaction again = jedis.multi();
        again.set("balance", "0");
        assertEquals(List.of("OK"), again.exec());
    }

    @Test
    void anUnchangedWatchLetsExecApplyAndUnwatchForgets() {
        jedis.set("k", "v");
        jedis.watch("k", "absent");
        Transaction tx = jedis.multi();
        tx.set("k", "v2");
        tx.set("absent", "now");
        assertEquals(List.of("OK", "OK"), tx.exec());
        jedis.watch("k");
        jedis.set("k", "changed by me");
        jedis.unwatch();
        Transaction after = jedis.multi();
        after.set("k", "v3");
        assertEquals(List.of("OK"), after.exec());
        assertEquals("v3", jedis.get("k"));
    }

    @Test
    void aCommandThatCannotBeQueuedIsRefusedAtOnceAndExecDiscardsEverything() {
        jedis.sendCommand(new Raw("MULTI"));
        assertEquals("QUEUED", jedis.sendCommand(new Raw("SET"), "k", "v") instanceof byte[] b ? new String(b) : "?");
        JedisDataException refused = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("SCAN"), "0"));
        assertTrue(refused.getMessage().startsWith("ERR Command not allowed inside a transaction"), refused.getMessage());
        JedisDataException wrongArity = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("GET")));
        assertTrue(wrongArity.getMessage().contains("wrong number of arguments"));
        JedisDataException aborted = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("EXEC")));
        assertEquals("EXECABORT Transaction discarded because of previous errors.", aborted.getMessage());
        assertNull(jedis.get("k"));
    }

    @Test
    void discardDropsTheQueueAndControlErrorsUseRedisTexts() {
        Transaction tx = jedis.multi();
        tx.set("k", "v");
        assertEquals("OK", tx.discard());
        assertNull(jedis.get("k"));
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("EXEC")));
        assertEquals("ERR EXEC without MULTI", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("DISCARD")));
        assertEquals("ERR DISCARD without MULTI", e.getMessage());
        jedis.sendCommand(new Raw("MULTI"));
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("MULTI")));
        assertEquals("ERR MULTI calls can not be nested", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("WATCH"), "k"));
        assertEquals("ERR WATCH inside MULTI is not allowed", e.getMessage());
        jedis.sendCommand(new Raw("DISCARD"));
    }
}
