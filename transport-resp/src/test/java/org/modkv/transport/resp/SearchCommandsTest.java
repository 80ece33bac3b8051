package org.modkv.transport.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * SEARCH, SEARCHANY, FINDVALUE and SIMILAR through Jedis: the reply shape (total, then keys),
 * the options, what reaches the index, and the errors (docs/design/search-commands.md).
 */
class SearchCommandsTest extends JedisTestBase {
    private Object send(String command, String... args) {
        return jedis.sendCommand(new Raw(command), args);
    }

    @Test
    void searchAnswersTheTotalThenTheKeysForAllOrAnyWords() {
        jedis.mset("doc1", "the quick brown fox", "doc2", "the lazy dog", "doc3", "quick dog");
        assertEquals(List.of(1L, "doc1"), reply(send("SEARCH", "quick", "fox")));
        assertEquals(List.of(1L, "doc3"), reply(send("search", "quick", "dog")));
        assertEquals(List.of(2L, "doc1", "doc3"), reply(send("SEARCHANY", "fox", "quick")));
        assertEquals(List.of(0L), reply(send("SEARCH", "cat")));
    }

    @Test
    void queryWordsAreJoinedIntoOneQueryTextTheIndexParses() {
        jedis.set("d", "x");
        send("SEARCH", "\"red fox\"", "data*", "-word");
        IndexQuery query = fixture.kernel.lastQuery();
        assertEquals(new IndexQuery("search", List.of("\"red fox\" data* -word"), Map.of("mode", "all")), query);
        send("SEARCHANY", "a b", "c");
        assertEquals(new IndexQuery("search", List.of("a b c"), Map.of("mode", "any")), fixture.kernel.lastQuery());
        assertEquals(Freshness.FRESH, fixture.kernel.lastFreshness());
    }

    @Test
    void limitPagesWithscoresAddsScoresAndStaleAsksForStaleFreshness() {
        jedis.mset("a", "fox", "b", "fox", "c", "fox", "d", "dog");
        assertEquals(List.of(3L, "b", "c"), reply(send("SEARCH", "fox", "LIMIT", "1", "2")));
        assertEquals(Map.of("mode", "all", "offset", "1", "limit", "2"), fixture.kernel.lastQuery().options());
        assertEquals(List.of(3L, "a", "1", "b", "1"), reply(send("SEARCH", "fox", "withscores", "limit", "0", "2")));
        assertEquals(List.of(3L), reply(send("SEARCH", "fox", "LIMIT", "5", "10")));
        assertEquals(List.of(3L, "a", "b", "c"), reply(send("SEARCH", "fox", "Stale")));
        assertEquals(Freshness.STALE, fixture.kernel.lastFreshness());
        assertEquals(List.of(3L, "c", "1"), reply(send("SEARCH", "fox", "STALE", "WITHSCORES", "LIMIT", "2", "1")));
        assertEquals(Freshness.STALE, fixture.kernel.lastFreshness());
    }

    @Test
    void anOptionKeywordIsQueryTextAsTheFirstArgumentOrInsideAQuotedArgument() {
        jedis.mset("k1", "stale bread", "k2", "limit of stale");
        assertEquals(List.of(2L, "k1", "k2"), reply(send("SEARCH", "stale")));
        assertEquals(Freshness.FRESH, fixture.kernel.lastFreshness());
        assertEquals(List.of(1L, "k2"), reply(send("SEARCH", "limit stale")));
        assertEquals(List.of("limit stale"), fixture.kernel.lastQuery().arguments());
        assertEquals(List.of(1L, "k1"), reply(send("SEARCH", "stale", "bread", "STALE")));
        assertEquals(List.of("stale bread"), fixture.kernel.lastQuery().arguments());
        assertEquals(Freshness.STALE, fixture.kernel.lastFreshness());
    }

    @Test
    void badOptionsAreClearErrors() {
        assertEquals("ERR syntax error: unexpected 'fox' after the options; SEARCH takes query words, then "
                + "LIMIT offset count, WITHSCORES and STALE", error("SEARCH", "dog", "STALE", "fox"));
        assertEquals("ERR syntax error: LIMIT needs two numbers, offset and count", error("SEARCH", "dog", "LIMIT", "1"));
        assertEquals("ERR LIMIT offset must be a whole number from 0 to 2147483647, got 'x'",
                error("SEARCH", "dog", "LIMIT", "x", "1"));
        assertEquals("ERR LIMIT offset must be a whole number from 0 to 2147483647, got '-1'",
                error("SEARCHANY", "dog", "LIMIT", "-1", "1"));
        assertEquals("ERR LIMIT count must be a whole number from 1 to 2147483647, got '0'",
                error("SEARCH", "dog", "LIMIT", "0", "0"));
        assertEquals("ERR LIMIT count must be a whole number from 1 to 2147483647, got '99999999999'",
                error("SEARCH", "dog", "LIMIT", "0", "99999999999"));
        assertEquals("ERR syntax error: STALE is given twice; SEARCH takes query words, then LIMIT offset count, "
                + "WITHSCORES and STALE", error("SEARCH", "dog", "STALE", "stale"));
        assertEquals("ERR syntax error: unexpected 'WITHSCORES' after the value; FINDVALUE takes one value (quote "
                + "it if it has spaces), then LIMIT offset count and STALE", error("FINDVALUE", "v", "WITHSCORES"));
        assertEquals("ERR syntax error: unexpected 'b' after the value; FINDVALUE takes one value (quote it if it "
                + "has spaces), then LIMIT offset count and STALE", error("FINDVALUE", "a", "b"));
        assertEquals("ERR wrong number of arguments for 'search' command", error("SEARCH"));
        assertEquals("ERR wrong number of arguments for 'findvalue' command", error("FINDVALUE"));
    }

    @Test
    void theIndexsErrorsReachTheClientTooLargeALimitAndNotReady() {
        fixture.kernel.failNext(ErrorCode.INVALID_REQUEST, "LIMIT count 5000 is more than fulltext.max.limit=1000");
        assertEquals("ERR LIMIT count 5000 is more than fulltext.max.limit=1000",
                error("SEARCH", "dog", "LIMIT", "0", "5000"));
        fixture.kernel.failNext(ErrorCode.INDEX_NOT_READY, "index fulltext is catching up; retry, or ask with STALE");
        assertEquals("TRYAGAIN index fulltext is catching up; retry, or ask with STALE", error("SEARCH", "dog"));
        fixture.kernel.runsTfidf(false);
        try {
            assertEquals("ERR no such index 'tfidf'; indexes running: fulltext", error("SIMILAR", "dog"));
        } finally {
            fixture.kernel.runsTfidf(true);
        }
    }

    @Test
    void findValueFindsExactValuesOfAnyBytes() {
        jedis.mset("u1", "alice", "u2", "bob", "u3", "alice");
        assertEquals(List.of(2L, "u1", "u3"), reply(send("FINDVALUE", "alice")));
        assertEquals(List.of(0L), reply(send("FINDVALUE", "alic")));
        assertEquals(List.of(2L, "u3"), reply(send("FINDVALUE", "alice", "LIMIT", "1", "5", "STALE")));
        assertEquals(Freshness.STALE, fixture.kernel.lastFreshness());
        assertEquals(List.of(2L, "u1"), reply(send("FINDVALUE", "alice", "limit", "0", "1")));

        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3};
        jedis.set("bin".getBytes(), binary);
        jedis.set("bad".getBytes(), notUtf8);
        jedis.set("stale".getBytes(), "STALE".getBytes());
        List<?> hits = (List<?>) jedis.sendCommand(new Raw("FINDVALUE"), binary);
        assertEquals(1L, hits.get(0));
        assertArrayEquals("bin".getBytes(), (byte[]) hits.get(1));
        hits = (List<?>) jedis.sendCommand(new Raw("FINDVALUE"), notUtf8);
        assertArrayEquals("bad".getBytes(), (byte[]) hits.get(1));
        assertEquals("latin1", fixture.kernel.lastQuery().options().get(IndexCommands.VALUE_ENCODING));
        assertArrayEquals(notUtf8, fixture.kernel.lastQuery().arguments().get(0).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(1L, "stale"), reply(send("FINDVALUE", "STALE")));
        assertEquals(Freshness.FRESH, fixture.kernel.lastFreshness());
    }

    @Test
    void similarKeepsItsFlatKeyScoreReplyAndTakesStale() {
        jedis.mset("s1", "red apple pie", "s2", "red car");
        assertEquals(List.of("s1", "1", "s2", "0.5"), reply(send("SIMILAR", "red apple")));
        assertEquals(Freshness.FRESH, fixture.kernel.lastFreshness());
        assertEquals(List.of("s1", "1"), reply(send("SIMILAR", "red apple", "STALE", "TOP", "1")));
        assertEquals(Freshness.STALE, fixture.kernel.lastFreshness());
        assertEquals("ERR syntax error: SIMILAR takes one text argument (quote it if it has spaces), then TOP k, "
                + "MIN score, LIMIT offset count and STALE; got 'apple'", error("SIMILAR", "red", "apple"));
    }

    @Test
    void similarPagesWithLimitLikeSearchAndSendsWhatTheIndexTakes() {
        jedis.mset("s1", "red apple pie", "s2", "red car", "s3", "red");
        assertEquals(List.of("s2", "0.5", "s3", "0.5"), reply(send("SIMILAR", "red apple", "limit", "1", "2")));
        assertEquals(new IndexQuery("similar", List.of("red apple"), Map.of("offset", "1", "limit", "2")),
                fixture.kernel.lastQuery());
        assertEquals(List.of("s1", "1"), reply(send("SIMILAR", "red apple", "MIN", "0.75", "STALE")));
        assertEquals(Map.of("min", "0.75"), fixture.kernel.lastQuery().options());
        assertEquals(Freshness.STALE, fixture.kernel.lastFreshness());
        send("SIMILAR", "top", "TOP", "2");
        assertEquals(Map.of("top", "2"), fixture.kernel.lastQuery().options());
        assertEquals(List.of("top"), fixture.kernel.lastQuery().arguments(), "the first argument is always text");
    }

    @Test
    void similarRefusesBadTopMinAndLimitWithTheAllowedRange() {
        assertEquals("ERR TOP must be a whole number from 1 to 2147483647, got '0'", error("SIMILAR", "x", "TOP", "0"));
        assertEquals("ERR TOP must be a whole number from 1 to 2147483647, got 'many'",
                error("SIMILAR", "x", "TOP", "many"));
        assertEquals("ERR MIN must be a number from 0 to 1, got '1.5'", error("SIMILAR", "x", "MIN", "1.5"));
        assertEquals("ERR MIN must be a number from 0 to 1, got 'nan'", error("SIMILAR", "x", "MIN", "nan"));
        assertEquals("ERR LIMIT offset must be a whole number from 0 to 2147483647, got '-1'",
                error("SIMILAR", "x", "LIMIT", "-1", "5"));
        assertEquals("ERR LIMIT count must be a whole number from 1 to 2147483647, got '0'",
                error("SIMILAR", "x", "LIMIT", "0", "0"));
        assertEquals("ERR syntax error: LIMIT needs two numbers, offset and count", error("SIMILAR", "x", "LIMIT", "1"));
        assertEquals("ERR syntax error: TOP needs a value", error("SIMILAR", "x", "TOP"));
        assertEquals("ERR syntax error: SIMILAR takes TOP k or LIMIT offset count, not both (TOP k is LIMIT 0 k)",
                error("SIMILAR", "x", "TOP", "3", "LIMIT", "0", "3"));
        assertEquals("ERR syntax error: MIN is given twice; SIMILAR takes TOP k, MIN score, LIMIT offset count and "
                + "STALE", error("SIMILAR", "x", "MIN", "0.1", "MIN", "0.2"));
        assertEquals("ERR syntax error: STALE is given twice; SIMILAR takes TOP k, MIN score, LIMIT offset count and "
                + "STALE", error("SIMILAR", "x", "STALE", "stale"));
        fixture.kernel.failNext(ErrorCode.INVALID_REQUEST, "top 5000 is out of range; allowed 1..1000 (tfidf.top.max)");
        assertEquals("ERR top 5000 is out of range; allowed 1..1000 (tfidf.top.max)", error("SIMILAR", "x", "TOP", "5000"));
    }

    @Test
    void onTheWireTheTotalIsAnIntegerAndScoresAreBulkStrings() throws Exception {
        jedis.mset("a", "fox", "b", "fox dog");
        try (RawClient raw = fixture.raw()) {
            raw.send("SEARCH fox WITHSCORES LIMIT 1 1\r\n");
            assertEquals("*3\r\n", raw.line());
            assertEquals(":2\r\n", raw.line());
            assertArrayEquals("b".getBytes(StandardCharsets.US_ASCII), raw.bulk());
            assertArrayEquals("1".getBytes(StandardCharsets.US_ASCII), raw.bulk());
            raw.send(RawClient.command("FINDVALUE", "nothing"));
            assertEquals("*1\r\n", raw.line());
            assertEquals(":0\r\n", raw.line());
            fixture.kernel.failNext(ErrorCode.INDEX_NOT_READY, "not ready");
            raw.send(RawClient.command("SEARCH", "fox"));
            assertEquals("-TRYAGAIN not ready\r\n", raw.line());
        }
    }

    private String error(String command, String... args) {
        return assertThrows(JedisDataException.class, () -> send(command, args)).getMessage();
    }

    /** Integers as Long, bulk strings as String. */
    private static List<Object> reply(Object reply) {
        List<Object> out = new ArrayList<>();
        for (Object item : (List<?>) reply) {
            out.add(item instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : item);
        }
        return out;
    }
}
