package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.replication.ReplicationStatus;
import org.modkv.testkit.transport.InMemoryRequestHandler;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/** The commands, through Jedis (a real Redis client library) against a running transport. */
class JedisCommandsTest extends JedisTestBase {
    @Test
    void pingAndEcho() {
        assertEquals("PONG", jedis.ping());
        assertEquals("hello", jedis.ping("hello"));
        assertEquals("say this", jedis.echo("say this"));
    }

    @Test
    void setThenGetAndMissingKeyIsNull() {
        assertEquals("OK", jedis.set("greeting", "hello"));
        assertEquals("hello", jedis.get("greeting"));
        assertNull(jedis.get("absent"));
    }

    @Test
    void delCountsOnlyKeysThatExisted() {
        jedis.set("d1", "x");
        jedis.set("d2", "y");
        assertEquals(2, jedis.del("d1", "d2", "d3", "d1"));
        assertEquals(0, jedis.del("d1"));
        assertNull(jedis.get("d2"));
    }

    @Test
    void existsCountsPresentKeysWithRepeats() {
        jedis.set("e1", "x");
        assertEquals(2, jedis.exists("e1", "e2", "e1"));
        assertTrue(jedis.exists("e1"));
        assertFalse(jedis.exists("e2"));
    }

    @Test
    void msetIsOneAtomicBatchAndMgetHasNullsForMissingKeys() {
        int before = fixture.kernel.batches();
        assertEquals("OK", jedis.mset("m1", "one", "m2", "two", "m3", "three"));
        assertEquals(before + 1, fixture.kernel.batches());
        List<String> values = jedis.mget("m1", "missing", "m3", "m2");
        assertEquals(java.util.Arrays.asList("one", null, "three", "two"), values);
    }

    @Test
    void msetWithOddArgumentsIsWrongArity() {
        JedisDataException e = assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(new Raw("MSET"), "k1", "v1", "k2"));
        assertEquals("ERR wrong number of arguments for 'mset' command", e.getMessage());
    }

    @Test
    void dbsizeCountsKeys() {
        jedis.mset("a", "1", "b", "2", "c", "3");
        assertEquals(fixture.kernel.status().keys(), jedis.dbSize());
        assertEquals(3, jedis.dbSize());
    }

    @Test
    void binaryKeysAndValuesRoundTripExactly() {
        byte[] key = {0, '\r', '\n', (byte) 0xff, ' ', '"', '$', '*'};
        byte[] value = new byte[1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 7);
        }
        assertEquals("OK", jedis.set(key, value));
        assertArrayEquals(value, jedis.get(key));
        byte[] empty = {};
        jedis.set(empty, empty);
        assertArrayEquals(empty, jedis.get(empty));
        assertEquals(1, jedis.del(key));
    }

    @Test
    void infoHasServerReplicationWithLeaderAndKeyspace() {
        fixture.kernel.replication(new ReplicationStatus(ReplicationRole.FOLLOWER, Optional.of("n3"),
                Map.of("term", 4L)));
        try {
            jedis.set("k", "v");
            String info = jedis.info();
            assertTrue(info.contains("# Server\r\nredis_version:7.0.0\r\n"), info);
            assertTrue(info.contains("modkv_version:0.1.0"), info);
            assertTrue(info.contains("node_id:n1\r\n"), info);
            assertTrue(info.contains("# Replication\r\nrole:follower\r\nleader_id:n3\r\n"), info);
            assertTrue(info.contains("term:4\r\n"), info);
            assertTrue(info.contains("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"), info);
            assertTrue(info.contains("# Storage\r\nengine:memory\r\n"), info);
            assertTrue(info.contains("connected_clients:"), info);
        } finally {
            fixture.kernel.replication(new ReplicationStatus(ReplicationRole.STANDALONE, Optional.empty(), Map.of()));
        }
    }

    @Test
    void infoSectionShowsOnlyThatSection() {
        String replication = jedis.info("replication");
        assertTrue(replication.startsWith("# Replication\r\nrole:standalone\r\n"), replication);
        assertFalse(replication.contains("leader_id"), replication);
        assertFalse(replication.contains("# Server"), replication);
        assertEquals("# Keyspace\r\ndb0:keys=0,expires=0,avg_ttl=0\r\n", jedis.info("KEYSPACE"));
    }

    @Test
    void pipelineOfTenThousandCommandsRepliesInOrder() {
        Pipeline pipeline = jedis.pipelined();
        List<Response<String>> gets = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            pipeline.set("p" + i, "v" + i);
            gets.add(pipeline.get("p" + (i - i % 2))); // the key just set, or the one before it
        }
        pipeline.sync();
        for (int i = 0; i < gets.size(); i++) {
            assertEquals("v" + (i - i % 2), gets.get(i).get(), "reply " + i);
        }
        assertEquals(5_000, jedis.dbSize());
    }

    @Test
    void unknownCommandIsAnErrorNamingItAndItsArguments() {
        JedisDataException e = assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(new Raw("FOO"), "bar", "baz"));
        assertEquals("ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' ", e.getMessage());
        assertEquals("PONG", jedis.ping(), "the connection stays usable");
    }

    @Test
    void wrongArityIsAnErrorNamingTheCommand() {
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("GET")));
        assertEquals("ERR wrong number of arguments for 'get' command", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("get"), "a", "b"));
        assertEquals("ERR wrong number of arguments for 'get' command", e.getMessage());
    }

    @Test
    void unknownAndConflictingSetOptionsAreSyntaxErrorsAndWriteNothing() {
        JedisDataException e = assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(new Raw("SET"), "k", "v", "NX", "XX"));
        assertTrue(e.getMessage().startsWith("ERR syntax error"), e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("SET"), "k", "v", "SOON"));
        assertTrue(e.getMessage().startsWith("ERR syntax error"), e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("SET"), "k", "v", "EX", "0"));
        assertEquals("ERR invalid expire time in 'set' command", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("SET"), "k", "v", "EX", "soon"));
        assertEquals("ERR value is not an integer or out of range", e.getMessage());
        assertNull(jedis.get("k"), "a rejected SET writes nothing");
    }

    @Test
    void aPipelinedGetSeesTheSetBeforeItAndNotTheOneAfter() {
        fixture.kernel.holdWritesUntilEndOfBurst(true); // SETs complete at the end of the pass, as storage does
        try {
            Pipeline pipeline = jedis.pipelined();
            Response<String> first = pipeline.set("k", "v1");
            Response<String> between = pipeline.get("k");
            Response<String> second = pipeline.set("k", "v2");
            Response<String> after = pipeline.get("k");
            Response<Long> deleted = pipeline.del("k");
            Response<String> gone = pipeline.get("k");
            pipeline.sync();
            assertEquals("OK", first.get());
            assertEquals("v1", between.get());
            assertEquals("OK", second.get());
            assertEquals("v2", after.get());
            assertEquals(1L, deleted.get());
            assertNull(gone.get());
        } finally {
            fixture.kernel.holdWritesUntilEndOfBurst(false);
        }
    }

    /**
     * A GET that waits for a SET before it runs once the SET completes, even when the SET completes
     * on another thread (storage's commit thread) while the event loop is busy: the connection must
     * be woken by the completion of everything the GET waits for, not only by each SET's reply.
     * Regression test: a pipeline hung until the client timed out (seen in CI, about once in a few
     * thousand pipelines).
     */
    @Test
    void pipelinedGetsRunAfterSetsThatCompleteOnAnotherThread() throws Exception {
        java.util.concurrent.ExecutorService commitThread = java.util.concurrent.Executors.newSingleThreadExecutor();
        fixture.kernel.completeWritesOn(commitThread);
        try {
            for (int round = 0; round < 3_000; round++) {
                Pipeline pipeline = jedis.pipelined();
                List<Response<String>> gets = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    pipeline.set("race:" + i, "v" + round);
                    pipeline.set("other:" + i, "w" + round);
                    gets.add(pipeline.get("race:" + i));
                }
                pipeline.sync();
                for (Response<String> get : gets) {
                    assertEquals("v" + round, get.get(), "round " + round);
                }
            }
        } finally {
            fixture.kernel.completeWritesOn(null);
            commitThread.shutdownNow();
        }
    }

    @Test
    void kernelErrorsBecomeRespErrorsWithTheKernelMessage() {
        fixture.kernel.failNext(ErrorCode.OVERLOADED, "write buffer full; retry later");
        JedisDataException busy = assertThrows(JedisDataException.class, () -> jedis.set("k", "v"));
        assertInstanceOf(JedisBusyException.class, busy);
        assertEquals("BUSY write buffer full; retry later", busy.getMessage());

        fixture.kernel.failNext(ErrorCode.NOT_LEADER, "not the leader; the leader is n2");
        JedisDataException notLeader = assertThrows(JedisDataException.class, () -> jedis.get("k"));
        assertEquals("ERR not the leader; the leader is n2", notLeader.getMessage());

        fixture.kernel.failNext(ErrorCode.STORAGE_CORRUPT, "write-ahead log file f.wal is corrupt at byte offset 9");
        JedisDataException corrupt = assertThrows(JedisDataException.class, () -> jedis.get("k"));
        assertEquals("STORAGE_CORRUPT write-ahead log file f.wal is corrupt at byte offset 9", corrupt.getMessage());

        byte[] tooBig = new byte[InMemoryRequestHandler.DEFAULT_LIMITS.maxValueBytes() + 1];
        JedisDataException large = assertThrows(JedisDataException.class, () -> jedis.set("k".getBytes(), tooBig));
        assertEquals("ERR value of 8388609 bytes exceeds node.max.value.bytes=8388608", large.getMessage());
    }

    @Test
    void similarAnswersFlatKeyScoreArrayBestFirstWithTopAndMin() {
        jedis.mset("s1", "red apple pie", "s2", "red car", "s3", "green apple", "s4", "blue sky");
        assertEquals(List.of("s1", "1", "s2", "0.5", "s3", "0.5"),
                strings(jedis.sendCommand(new Raw("SIMILAR"), "red apple")));
        assertEquals(List.of("s1", "1"), strings(jedis.sendCommand(new Raw("SIMILAR"), "red apple", "TOP", "1")));
        assertEquals(List.of("s1", "1"), strings(jedis.sendCommand(new Raw("SIMILAR"), "red apple", "min", "0.75")));
        JedisDataException e = assertThrows(JedisDataException.class,
                () -> jedis.sendCommand(new Raw("SIMILAR"), "red", "TOP", "many"));
        assertEquals("ERR TOP must be a whole number from 1 to 2147483647, got 'many'", e.getMessage());
        e = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("SIMILAR"), "red", "apple"));
        assertTrue(e.getMessage().startsWith("ERR syntax error: SIMILAR takes one text argument"), e.getMessage());
    }

    @Test
    void missingIndexIsTheKernelsNoSuchIndexError() {
        fixture.kernel.runsTfidf(false);
        try {
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> jedis.sendCommand(new Raw("SIMILAR"), "anything"));
            assertEquals("ERR no such index 'tfidf'; indexes running: fulltext", e.getMessage());
        } finally {
            fixture.kernel.runsTfidf(true);
        }
    }

    @Test
    void toolStartupCommandsAnswerWithoutError() {
        assertEquals("OK", jedis.select(0));
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.select(1));
        assertTrue(e.getMessage().startsWith("ERR DB index is out of range"), e.getMessage());
        assertEquals("OK", jedis.clientSetname("worker-1"));
        assertEquals("worker-1", jedis.clientGetname());
        assertEquals(Map.of("save", ""), jedis.configGet("save"));
        assertEquals(Map.of("appendonly", "yes"), jedis.configGet("appendonly"));
        long count = (Long) jedis.sendCommand(new Raw("COMMAND"), "COUNT");
        List<?> all = (List<?>) jedis.sendCommand(new Raw("COMMAND"));
        assertEquals(count, all.size());
        assertTrue(count >= 20, "count " + count);
        assertEquals(2 * count, ((List<?>) jedis.sendCommand(new Raw("COMMAND"), "DOCS")).size());
        JedisDataException hello3 = assertThrows(JedisDataException.class, () -> jedis.sendCommand(new Raw("HELLO"), "3"));
        assertTrue(hello3.getMessage().startsWith("NOPROTO"), hello3.getMessage());
    }

    @Test
    void commandDocsDescribesModkvCommandsForRedisCliHelp() {
        List<?> docs = (List<?>) jedis.sendCommand(new Raw("COMMAND"), "DOCS", "SIMILAR");
        assertEquals(2, docs.size());
        assertEquals("similar", new String((byte[]) docs.get(0), StandardCharsets.UTF_8));
        List<?> fields = (List<?>) docs.get(1);
        assertEquals(List.of("summary", "since", "group", "arguments"),
                List.of(text(fields.get(0)), text(fields.get(2)), text(fields.get(4)), text(fields.get(6))));
        assertTrue(text(fields.get(1)).contains("tfidf"), text(fields.get(1)));
        List<?> top = (List<?>) ((List<?>) fields.get(7)).get(1);
        assertEquals(List.of("name", "k", "type", "integer", "token", "TOP", "flags"),
                top.subList(0, 7).stream().map(JedisCommandsTest::text).toList());
        assertEquals(List.of("optional"), ((List<?>) top.get(7)).stream().map(JedisCommandsTest::text).toList());
        for (CommandSpec spec : new CommandTable(fixture.kernel, () -> 0, () -> 0).specs()) {
            assertTrue(CommandDocs.documents(spec.name()), spec.name() + " has no docs");
        }
    }

    private static String text(Object bulk) {
        return new String((byte[]) bulk, StandardCharsets.UTF_8);
    }

    private static List<String> strings(Object reply) {
        List<String> out = new ArrayList<>();
        for (Object item : (List<?>) reply) {
            out.add(new String((byte[]) item, StandardCharsets.UTF_8));
        }
        return out;
    }
}
