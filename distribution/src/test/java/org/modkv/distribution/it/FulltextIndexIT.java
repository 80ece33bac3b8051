package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ModkvClient;
import org.modkv.client.SearchHit;
import org.modkv.client.SearchQuery;
import org.modkv.client.SearchResult;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The packaged node runs the fulltext index from plugins/index-fulltext (its own module layer with
 * Lucene) by default and answers every search path from it: RESP's SEARCH, SEARCHANY and
 * FINDVALUE (total first, then keys; LIMIT, WITHSCORES, STALE; a binary value), the Java
 * client's search and findValue over tcp, and the CLI's {@code modkv search} and
 * {@code modkv find-value} (output and exit status). The index's own behaviour is tested in
 * index-fulltext; this proves the packaging and the wiring end to end.
 */
class FulltextIndexIT {
    private static final int TIMEOUT_MS = 30_000;
    private static final byte[] BINARY = {(byte) 0xff, 0, 'q', (byte) 0x80, '\r', '\n'};

    @TempDir
    Path dir;

    /** A SEARCH-like reply: the total, then the page of keys (each followed by its score with WITHSCORES). */
    private record Reply(long total, List<String> items) {
    }

    @Test
    void everyPathSearchesThePackagedNodesDefaultFulltextIndex() throws Exception {
        try (NodeProcess node = NodeProcess.start(dir.resolve("data"));
             Jedis jedis = new Jedis(host(node.resp()), NodeProcess.port(node.resp()), TIMEOUT_MS)) {
            jedis.set("fox", "The quick brown fox");
            jedis.set("store", "a quick data store");
            jedis.set("cafe", "Café crème");
            jedis.set("bin".getBytes(StandardCharsets.UTF_8), BINARY);
            jedis.set("bin2".getBytes(StandardCharsets.UTF_8), BINARY);

            // RESP: total first, then the keys, best first (equal scores in key order).
            assertEquals(new Reply(2, List.of("fox", "store")), command(jedis, "SEARCH", "quick"));
            assertEquals(new Reply(1, List.of("fox")), command(jedis, "SEARCH", "\"quick brown\""));
            assertEquals(new Reply(1, List.of("store")), command(jedis, "SEARCH", "quick", "-fox"));
            assertEquals(new Reply(1, List.of("cafe")), command(jedis, "SEARCH", "CAFE"));
            Reply any = command(jedis, "SEARCHANY", "fox", "data*");
            assertEquals(2, any.total());
            assertEquals(Set.of("fox", "store"), Set.copyOf(any.items()));
            assertEquals(new Reply(0, List.of()), command(jedis, "SEARCH", "absent"));
            assertEquals(new Reply(1, List.of("store")), command(jedis, "FINDVALUE", "a quick data store"));
            // LIMIT pages, WITHSCORES pairs every key with a score, STALE answers from what is indexed.
            assertEquals(new Reply(2, List.of("store")), command(jedis, "SEARCH", "quick", "LIMIT", "1", "1"));
            Reply scored = command(jedis, "SEARCH", "quick", "WITHSCORES", "STALE");
            assertEquals(2, scored.total());
            assertEquals(List.of("fox", "store"), List.of(scored.items().get(0), scored.items().get(2)));
            assertTrue(Double.parseDouble(scored.items().get(1)) > 0, scored.toString());
            assertEquals(new Reply(2, any.items().subList(1, 2)), command(jedis, "SEARCHANY", "fox", "data*", "limit",
                    "1", "1", "stale"), "the second of " + any);
            assertEquals(new Reply(2, List.of("bin2")), command(jedis, "FINDVALUE", BINARY, "LIMIT", "1", "5", "STALE"));
            JedisDataException syntax = assertThrows(JedisDataException.class,
                    () -> command(jedis, "SEARCH", "quick", "LIMIT", "x", "1"));
            assertTrue(syntax.getMessage().contains("LIMIT offset"), syntax.getMessage());

            // The Java client over tcp.
            try (ModkvClient client = ModkvClient.connect(node.tcp())) {
                SearchResult quick = client.search(SearchQuery.of("quick"));
                assertEquals(2, quick.total());
                assertEquals(List.of("fox", "store"), keys(quick.hits()));
                SearchResult page = client.search(SearchQuery.of("fox data*").anyWord().withOffset(1).withLimit(1)
                        .withStale(true));
                assertEquals(2, page.total());
                assertEquals(1, page.hits().size());
                SearchResult binary = client.findValue(BINARY, 0, 10, false);
                assertEquals(2, binary.total());
                assertEquals(List.of("bin", "bin2"), keys(binary.hits()));
                assertEquals(List.of("cafe"), keys(client.findValue("Café crème")));
                // A write through the client is seen by the next fresh search.
                client.put("late", "a quick late arrival");
                assertEquals(3, client.search(SearchQuery.of("quick")).total());
            }

            // The CLI: keys on stdout, a summary on stderr, exit 0 whether or not anything matched.
            Cli.Result search = Cli.modkv("search", "--connect", node.tcp(), "quick", "-late");
            assertEquals(0, search.status(), search::toString);
            assertEquals("fox\nstore\n", search.out(), search::toString);
            assertEquals("(2 hits)\n", search.err(), search::toString);
            Cli.Result paged = Cli.modkv("search", "--connect", node.tcp(), "--any", "--offset", "1", "--limit", "1",
                    "--stale", "--scores", "fox", "data*");
            assertEquals(0, paged.status(), paged::toString);
            assertTrue(paged.out().matches("(fox|store)\t\\d+\\.\\d{4}\n"), paged::toString);
            assertEquals("(2 hits; showing 2-2)\n", paged.err(), paged::toString);
            Cli.Result none = Cli.modkv("search", "--connect", node.tcp(), "absent");
            assertEquals(0, none.status(), none::toString);
            assertEquals("", none.out(), none::toString);
            assertEquals("(no matches)\n", none.err(), none::toString);
            Cli.Result findValue = Cli.modkv("find-value", "--connect", node.tcp(), "a quick data store");
            assertEquals(0, findValue.status(), findValue::toString);
            assertEquals("store\n", findValue.out(), findValue::toString);
            Path binaryFile = dir.resolve("binary-value");
            Files.write(binaryFile, BINARY);
            Cli.Result fromFile = Cli.modkv("find-value", "--connect", node.tcp(), "--file", binaryFile.toString());
            assertEquals(0, fromFile.status(), fromFile::toString);
            assertEquals("bin\nbin2\n", fromFile.out(), fromFile::toString);
            Cli.Result usage = Cli.modkv("search", "--connect", node.tcp(), "--limit", "-1", "quick");
            assertEquals(2, usage.status(), usage::toString);
            Cli.Result tooMany = Cli.modkv("search", "--connect", node.tcp(), "--limit", "1000000", "quick");
            assertEquals(2, tooMany.status(), tooMany::toString);
            assertTrue(tooMany.err().startsWith("modkv: ") && tooMany.err().contains("fulltext.limit.max"),
                    tooMany::toString);

            jedis.del("fox");
            assertEquals(new Reply(2, List.of("late", "store")), command(jedis, "SEARCH", "quick"));
        }
    }

    private static Reply command(Jedis jedis, String name, Object... args) {
        ProtocolCommand command = () -> name.getBytes(StandardCharsets.UTF_8);
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i] instanceof byte[] bytes ? bytes : ((String) args[i]).getBytes(StandardCharsets.UTF_8);
        }
        List<?> reply = (List<?>) jedis.sendCommand(command, raw);
        long total = assertInstanceOf(Long.class, reply.get(0), "the total comes first: " + reply);
        List<String> items = new ArrayList<>();
        for (Object item : reply.subList(1, reply.size())) {
            items.add(new String((byte[]) item, StandardCharsets.UTF_8));
        }
        return new Reply(total, items);
    }

    private static List<String> keys(List<SearchHit> hits) {
        return hits.stream().map(hit -> new String(hit.key(), StandardCharsets.UTF_8)).toList();
    }

    private static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }
}
