package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ModkvClient;
import org.modkv.client.SearchHit;
import org.modkv.client.SearchResult;
import org.modkv.client.SimilarQuery;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The packaged node with {@code indexes=fulltext,tfidf} runs the tfidf index from
 * plugins/index-tfidf and answers similarity on every path: RESP's SIMILAR (flat key, score
 * array; TOP, MIN, LIMIT, STALE; errors), the Java client over tcp, the CLI's {@code modkv
 * similar}; fulltext SEARCH keeps working beside it; and after a restart the tfidf index,
 * rebuilt from storage, answers the same. The index's own behaviour is tested in index-tfidf.
 */
class TfidfIndexIT {
    private static final int TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;

    @Test
    void everyPathAsksThePackagedTfidfIndexAndARestartRebuildsIt() throws Exception {
        String[] settings = {"--set", "indexes=fulltext,tfidf", "--set", "tfidf.ngrams=3", "--set",
            "tfidf.idf.refresh.min=1", "--set", "tfidf.idf.refresh.percent=1"};
        List<String> before;
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), settings);
             Jedis jedis = new Jedis(host(node.resp()), NodeProcess.port(node.resp()), TIMEOUT_MS)) {
            jedis.set("pie", "red apple pie with cinnamon");
            jedis.set("apple", "a red apple");
            jedis.set("car", "a fast red car");
            jedis.set("sky", "blue sky");
            jedis.set("mail", "we receive the parcel today");

            before = similar(jedis, "red apple");
            assertEquals(List.of("apple", "pie"), keysOf(before).subList(0, 2), before.toString());
            assertTrue(keysOf(before).contains("car") && !keysOf(before).contains("sky"), before.toString());
            assertEquals(List.of("apple"), keysOf(similar(jedis, "red apple", "TOP", "1")));
            assertEquals(keysOf(before).subList(1, 3), keysOf(similar(jedis, "red apple", "LIMIT", "1", "2", "STALE")));
            assertTrue(keysOf(similar(jedis, "red apple", "MIN", "0.99")).isEmpty());
            assertEquals("mail", keysOf(similar(jedis, "recieve")).get(0), "3-grams find the near-spelling");
            JedisDataException tooMany = assertThrows(JedisDataException.class,
                    () -> similar(jedis, "red", "TOP", "100000"));
            assertTrue(tooMany.getMessage().contains("tfidf.top.max"), tooMany.getMessage());
            JedisDataException noWords = assertThrows(JedisDataException.class, () -> similar(jedis, "?!"));
            assertTrue(noWords.getMessage().contains("no words"), noWords.getMessage());
            assertEquals(2L, ((List<?>) jedis.sendCommand(raw("SEARCH"), bytes("red"), bytes("apple"))).get(0),
                    "fulltext answers beside tfidf");

            try (ModkvClient client = ModkvClient.connect(node.tcp())) {
                SearchResult result = client.similar(SimilarQuery.of("red apple").withTop(2));
                assertEquals(List.of("apple", "pie"), result.hits().stream().map(SearchHit::keyAsString).toList());
                assertTrue(result.total() >= 2, "the total is the documents scored: " + result);
                client.put("late", "red apple red apple");
                assertEquals("late", client.similar(SimilarQuery.of("red apple")).hits().get(0).keyAsString(),
                        "a write through the client is seen by the next fresh query");
            }

            Cli.Result cli = Cli.modkv("similar", "--connect", node.tcp(), "--top", "2", "red", "apple");
            assertEquals(0, cli.status(), cli::toString);
            assertTrue(cli.out().matches("late\t1\\.0000\napple\t0\\.\\d{4}\n"), cli::toString);
            Cli.Result none = Cli.modkv("similar", "--connect", node.tcp(), "--stale", "zebra");
            assertEquals(0, none.status(), none::toString);
            assertEquals("(no matches)\n", none.err(), none::toString);
            Cli.Result tooManyCli = Cli.modkv("similar", "--connect", node.tcp(), "--top", "100000", "red");
            assertEquals(2, tooManyCli.status(), tooManyCli::toString);
            assertTrue(tooManyCli.err().startsWith("modkv: ") && tooManyCli.err().contains("tfidf.top.max"),
                    tooManyCli::toString);
            jedis.del("late");
            before = similar(jedis, "red apple");
            node.stop();
        }
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"), settings);
             Jedis jedis = new Jedis(host(node.resp()), NodeProcess.port(node.resp()), TIMEOUT_MS)) {
            // A start-up ends with a fresh IDF snapshot; with tfidf.idf.refresh.min=1 the node before the
            // restart had one after every write too, so the scores agree, not just the order.
            List<String> after = similar(jedis, "red apple");
            assertEquals(keysOf(before), keysOf(after), "rebuilt from storage at start-up: " + after);
            for (int i = 1; i < before.size(); i += 2) {
                assertEquals(Double.parseDouble(before.get(i)), Double.parseDouble(after.get(i)), 1e-9, after.toString());
            }
        }
    }

    /** SIMILAR's flat reply as text: key, score, key, score... */
    private static List<String> similar(Jedis jedis, String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = bytes(args[i]);
        }
        List<String> items = new ArrayList<>();
        for (Object item : (List<?>) jedis.sendCommand(raw("SIMILAR"), raw)) {
            items.add(new String((byte[]) item, StandardCharsets.UTF_8));
        }
        return items;
    }

    private static List<String> keysOf(List<String> flat) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
            keys.add(flat.get(i));
        }
        return keys;
    }

    private static ProtocolCommand raw(String name) {
        return () -> name.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }
}
