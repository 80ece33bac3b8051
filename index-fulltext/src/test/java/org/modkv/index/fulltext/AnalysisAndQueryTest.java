package org.modkv.index.fulltext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.config.ConfigException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.storage.WriteBatch;

/** The analyzer options, the query forms of the docs, and the errors for bad requests. */
class AnalysisAndQueryTest {
    @TempDir
    Path dir;

    private Index indexOf(Map<String, String> config, String... keyValues) throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < keyValues.length; i += 2) {
            batch.put(FindValueTest.bytes(keyValues[i]), FindValueTest.bytes(keyValues[i + 1]));
        }
        storage.write(1, batch);
        Index index = IndexFixture.open(dir, storage, config);
        index.apply(1, batch);
        return index;
    }

    @Test
    void standardFoldsCaseAndAccentsByDefault() throws Exception {
        try (Index index = indexOf(Map.of(), "a", "Café Crème", "b", "cafe creme", "c", "CAFÉ")) {
            assertEquals(keys("a", "b", "c"), search(index, "cafe"));
            assertEquals(keys("a", "b"), search(index, "CRÈME café"));
            assertEquals(keys("a", "b", "c"), search(index, "CAF*"));
        }
    }

    @Test
    void withoutFoldingCaseAndAccentsCount() throws Exception {
        try (Index index = indexOf(Map.of("fulltext.fold", "false"), "a", "Café", "b", "cafe")) {
            assertEquals(keys("b"), search(index, "cafe"));
            assertEquals(keys("a"), search(index, "Café"));
        }
    }

    @Test
    void englishStemsAndDropsStopWords() throws Exception {
        try (Index index = indexOf(Map.of("fulltext.analyzer", "english"), "a", "The indexing of documents",
                "b", "an indexed document", "c", "the index")) {
            assertEquals(keys("a", "b", "c"), search(index, "indexes"));
            assertEquals(keys("a", "b"), search(index, "document"));
            assertEquals(Set.of(), search(index, "the of an"), "stop words only: nothing");
        }
        try (Index index = indexOf(Map.of(), "a", "The indexing")) {
            assertEquals(Set.of(), search(index, "indexes"), "standard does not stem");
        }
    }

    @Test
    void whitespaceKeepsPunctuationInWords() throws Exception {
        try (Index index = indexOf(Map.of("fulltext.analyzer", "whitespace"), "a", "user@example.com wrote",
                "b", "user example com")) {
            assertEquals(keys("a"), search(index, "user@example.com"));
            assertEquals(keys("b"), search(index, "user"));
        }
    }

    @Test
    void queryFormsOfTheDesignNote() throws Exception {
        try (Index index = indexOf(Map.of(), "a", "fast data store", "b", "data is fast", "c", "database tools",
                "d", "slow data")) {
            assertEquals(keys("a", "b"), search(index, "fast data"));
            assertEquals(keys("a", "b", "c"), searchAny(index, "fast database"));
            assertEquals(keys("a"), search(index, "\"fast data\""));
            assertEquals(keys("a", "b", "c", "d"), search(index, "data*"));
            assertEquals(keys("b", "d"), search(index, "data -store -tools"));
            assertEquals(keys("a", "b", "d"), search(index, "fast | slow"));
            assertEquals(keys("a", "b"), searchAny(index, "fast + data"));
            assertEquals(keys("a", "b", "d"), search(index, "(fast | slow) data"));
            assertEquals(keys("c"), search(index, "databse~1"));
            assertEquals(keys("b"), search(index, "\"data fast\"~1"));
            assertEquals(Set.of(), search(index, ""));
            assertEquals(Set.of(), search(index, "   "));
            // broken syntax still parses
            assertEquals(keys("a", "b"), search(index, "\"fast"));
            assertEquals(keys("a", "b", "d"), search(index, "(data -tools"));
        }
    }

    @Test
    void equalScoresBreakByKey() throws Exception {
        try (Index index = indexOf(Map.of(), "zz", "same words", "aa", "same words", "mm", "same words")) {
            List<String> order = IndexFixture.search(index, "same", "all", 0, 10).hits().stream()
                    .map(h -> SearchOracle.utf8(h.key())).toList();
            assertEquals(List.of("aa", "mm", "zz"), order);
        }
    }

    @Test
    void refusesBadRequestsWithWhatIsAllowed() throws Exception {
        try (Index index = indexOf(Map.of("fulltext.limit.max", "50", "fulltext.window.max", "100"), "a", "x")) {
            FindValueTest.assertInvalid("answers search and findvalue",
                    () -> index.query(IndexQuery.of("similar", List.of("x"))));
            FindValueTest.assertInvalid("allowed: limit, mode, offset",
                    () -> index.query(new IndexQuery("search", List.of("x"), Map.of("top", "3"))));
            FindValueTest.assertInvalid("use all (every word) or any",
                    () -> index.query(new IndexQuery("search", List.of("x"), Map.of("mode", "some"))));
            FindValueTest.assertInvalid("limit 51 is out of range; allowed 1..50 (fulltext.limit.max)",
                    () -> IndexFixture.search(index, "x", "all", 0, 51));
            FindValueTest.assertInvalid("limit 0 is out of range", () -> IndexFixture.search(index, "x", "all", 0, 0));
            FindValueTest.assertInvalid("offset -1 is out of range", () -> IndexFixture.search(index, "x", "all", -1, 5));
            FindValueTest.assertInvalid("more than fulltext.window.max (100)",
                    () -> IndexFixture.search(index, "x", "all", 60, 50));
            FindValueTest.assertInvalid("'ten' is not a whole number",
                    () -> index.query(new IndexQuery("search", List.of("x"), Map.of("limit", "ten"))));
            assertEquals(1, IndexFixture.search(index, "x", "all", 0, 50).totalHits());
            StringBuilder huge = new StringBuilder();
            for (int i = 0; i < 1100; i++) {
                huge.append(" w").append(i);
            }
            FindValueTest.assertInvalid("the query is too large",
                    () -> IndexFixture.search(index, huge.toString(), "any", 0, 5));
        }
    }

    @Test
    void defaultLimitApplies() throws Exception {
        String[] docs = new String[30];
        for (int i = 0; i < 15; i++) {
            docs[2 * i] = "k" + i;
            docs[2 * i + 1] = "word";
        }
        try (Index index = indexOf(Map.of("fulltext.limit.default", "4"), docs)) {
            IndexResult result = index.query(IndexQuery.of("search", List.of("word")));
            assertEquals(4, result.hits().size());
            assertEquals(15, result.totalHits());
        }
    }

    @Test
    void badConfigNamesTheAllowedValues() {
        ConfigException analyzer = assertThrows(ConfigException.class,
                () -> FulltextOptions.of(Map.of("fulltext.analyzer", "french")));
        assertTrue(analyzer.getMessage().contains("use one of standard, english, whitespace"), analyzer.getMessage());
        ConfigException limits = assertThrows(ConfigException.class,
                () -> FulltextOptions.of(Map.of("fulltext.limit.default", "20", "fulltext.limit.max", "10")));
        assertTrue(limits.getMessage().contains("fulltext.limit.default (20) is larger than fulltext.limit.max (10)"),
                limits.getMessage());
    }

    @Test
    void providerDescribesItself() {
        FulltextIndexProvider provider = new FulltextIndexProvider();
        assertEquals("fulltext", provider.name());
        assertEquals(org.modkv.api.ApiVersion.CURRENT, provider.apiVersion());
        assertEquals(org.modkv.api.PluginKind.INDEX, provider.kind());
        assertTrue(provider.configSchema().key("fulltext.analyzer").isPresent());
    }

    private static Set<String> search(Index index, String text) {
        return keys(IndexFixture.search(index, text, "all", 0, 100));
    }

    private static Set<String> searchAny(Index index, String text) {
        return keys(IndexFixture.search(index, text, "any", 0, 100));
    }

    private static Set<String> keys(String... keys) {
        return new TreeSet<>(List.of(keys));
    }

    private static Set<String> keys(IndexResult result) {
        Set<String> keys = new TreeSet<>();
        for (ScoredKey hit : result.hits()) {
            keys.add(SearchOracle.utf8(hit.key()));
        }
        return keys;
    }
}
