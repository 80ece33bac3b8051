package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.transport.Transport;
import org.modkv.client.ModkvClient;
import org.modkv.client.ModkvClientException;
import org.modkv.client.SearchHit;
import org.modkv.client.SearchQuery;
import org.modkv.client.SearchResult;
import org.modkv.client.SimilarQuery;
import org.modkv.protocol.wire.Query;
import org.modkv.testkit.transport.InMemoryRequestHandler;

/**
 * Search, find-value and similar through the Java client and the tcp transport: paging, the total,
 * staleness, binary values and the errors (docs/design/search-commands.md).
 */
class TcpSearchTest {
    private final InMemoryRequestHandler handler = TcpTestContexts.handler();
    private final List<AutoCloseable> open = new ArrayList<>();

    private ModkvClient start(Map<String, String> settings) throws Exception {
        Transport transport = new TcpTransportProvider().start(TcpTestContexts.context(settings, handler));
        open.add(transport);
        ModkvClient client = ModkvClient.connect(transport.endpoints().get(0).hostPort());
        open.add(0, client);
        return client;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void searchAnswersAPageTheTotalAndScoresAndPassesModeAndStaleness() throws Exception {
        ModkvClient client = start(Map.of());
        client.put("a", "red fox");
        client.put("b", "red dog");
        client.put("c", "red hen");
        client.put("d", "blue fox");

        SearchResult all = client.search(SearchQuery.of("red fox"));
        assertEquals(1, all.total());
        assertEquals(List.of("a"), keys(all));
        assertEquals(new IndexQuery("search", List.of("red fox"), Map.of("mode", "all")), handler.lastQuery());
        assertEquals(Freshness.FRESH, handler.lastFreshness());

        SearchResult page = client.search(SearchQuery.of("red fox").anyWord().withOffset(1).withLimit(2).withStale(true));
        assertEquals(4, page.total());
        assertEquals(List.of("b", "c"), keys(page), "equal scores, so by key");
        assertEquals(Map.of("mode", "any", "offset", "1", "limit", "2"), handler.lastQuery().options());
        assertEquals(Freshness.STALE, handler.lastFreshness());
        assertEquals(1.0, client.search(SearchQuery.of("red fox").anyWord()).hits().get(0).score());

        assertEquals(List.of("a", "b", "c", "d"),
                client.search(List.of("red", "fox"), true).stream().map(SearchHit::keyAsString).toList(),
                "the word-list search still answers");
        assertEquals(List.of("red fox"), handler.lastQuery().arguments(), "words joined into one query text");
    }

    @Test
    void similarAnswersAPageWithOffsetTopMinAndStaleness() throws Exception {
        ModkvClient client = start(Map.of());
        client.put("a", "red apple pie");
        client.put("b", "red car");
        client.put("c", "red hen");
        client.put("d", "blue sky");

        SearchResult best = client.similar(SimilarQuery.of("red apple"));
        assertEquals(List.of("a", "b", "c"), keys(best));
        assertEquals(new IndexQuery("similar", List.of("red apple"), Map.of()), handler.lastQuery());
        assertEquals(Freshness.FRESH, handler.lastFreshness());

        SearchResult page = client.similar(SimilarQuery.of("red apple").withOffset(1).withTop(1).withMinScore(0.25)
                .withStale(true));
        assertEquals(List.of("b"), keys(page));
        assertEquals(0.5, page.hits().get(0).score());
        assertEquals(3, page.total());
        assertEquals(Map.of("offset", "1", "limit", "1", "min", "0.25"), handler.lastQuery().options());
        assertEquals(Freshness.STALE, handler.lastFreshness());
        assertThrows(IllegalArgumentException.class, () -> SimilarQuery.of("x").withMinScore(1.5));
        assertThrows(IllegalArgumentException.class, () -> SimilarQuery.of("x").withTop(-1));
    }

    @Test
    void findValueFindsAnyBytesEvenWhenTheirUtf8FormWouldNotFitTheFrame() throws Exception {
        ModkvClient client = start(Map.of("tcp.max.frame.bytes", "64KiB"));
        byte[] binary = new byte[40_000];
        Arrays.fill(binary, (byte) 0xff); // as a UTF-8 string: 80,000 bytes, more than a frame
        binary[7] = 0;
        client.put("bin".getBytes(StandardCharsets.UTF_8), binary);
        client.put("other".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff});
        client.put("text1", "alice");
        client.put("text2", "alice");

        SearchResult found = client.findValue(binary, 0, 0, false);
        assertEquals(1, found.total());
        assertArrayEquals("bin".getBytes(StandardCharsets.UTF_8), found.hits().get(0).key());
        assertEquals("latin1", handler.lastQuery().options().get("value.encoding"));
        assertArrayEquals(binary, handler.lastQuery().arguments().get(0).getBytes(StandardCharsets.ISO_8859_1));

        SearchResult second = client.findValue("alice".getBytes(StandardCharsets.UTF_8), 1, 5, true);
        assertEquals(2, second.total());
        assertEquals(List.of("text2"), keys(second));
        assertEquals(Freshness.STALE, handler.lastFreshness());
        assertEquals(List.of("other"), client.findValue(new byte[] {(byte) 0xff}).stream()
                .map(SearchHit::keyAsString).toList());
        assertEquals(List.of("text1", "text2"), client.findValue("alice").stream().map(SearchHit::keyAsString).toList());
    }

    @Test
    void theIndexsErrorsComeBackWithTheirCodes() throws Exception {
        ModkvClient client = start(Map.of());
        handler.failNext(ErrorCode.INDEX_NOT_READY, "index fulltext is catching up; retry, or ask stale");
        ModkvClientException notReady = assertThrows(ModkvClientException.class,
                () -> client.search(SearchQuery.of("fox")));
        assertEquals("INDEX_NOT_READY", notReady.code());
        assertEquals("index fulltext is catching up; retry, or ask stale", notReady.getMessage());

        handler.failNext(ErrorCode.INVALID_REQUEST, "limit 5000 is more than fulltext.max.limit=1000");
        ModkvClientException tooMany = assertThrows(ModkvClientException.class,
                () -> client.search(SearchQuery.of("fox").withLimit(5000)));
        assertEquals("INVALID_REQUEST", tooMany.code());

        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> SearchQuery.of("fox").withLimit(-1));
        assertEquals("limit must be 1 or more (or 0 for the index's default), got -1", negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.findValue(new byte[1], -1, 0, false));
    }

    @Test
    void aBinaryValueBecomesTheOneLatin1ArgumentAndCannotComeWithOthers() {
        Query query = Query.newBuilder().setIndex("fulltext").setOperation("findvalue")
                .setValue(ByteString.copyFrom(new byte[] {0, (byte) 0x80, (byte) 0xff})).putOptions("limit", "3").build();
        assertEquals(new IndexQuery("findvalue", List.of("\u0000\u0080\u00ff"),
                Map.of("limit", "3", "value.encoding", "latin1")), RequestDispatcher.toIndexQuery(query));
        Query empty = Query.newBuilder().setOperation("findvalue").setValue(ByteString.EMPTY).build();
        assertEquals(List.of(""), RequestDispatcher.toIndexQuery(empty).arguments(), "an empty value is a value");

        ModkvException both = assertThrows(ModkvException.class,
                () -> RequestDispatcher.toIndexQuery(query.toBuilder().addArguments("x").build()));
        assertEquals(ErrorCode.INVALID_REQUEST, both.code());
        assertEquals("a query with a binary value takes no other arguments; got 1", both.getMessage());
    }

    private static List<String> keys(SearchResult result) {
        return result.hits().stream().map(SearchHit::keyAsString).toList();
    }
}
