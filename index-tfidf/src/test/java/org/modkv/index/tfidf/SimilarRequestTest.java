package org.modkv.index.tfidf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.IndexQuery;

/** Bad requests get INVALID_REQUEST with what was wrong and what is allowed; paging and min work. */
class SimilarRequestTest {
    @TempDir
    Path dir;

    private static String refused(TfidfFixture fixture, String text, Map<String, String> options) {
        ModkvException e = assertThrows(ModkvException.class, () -> fixture.similar(text, options));
        assertEquals(ErrorCode.INVALID_REQUEST, e.code(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void badTopMinLimitAndOptionsAreRefusedWithTheAllowedRange() {
        try (TfidfFixture fixture = new TfidfFixture(dir, Map.of("tfidf.top.max", "50", "tfidf.window.max", "60"))) {
            fixture.put("a", "alpha");
            assertEquals("top 0 is out of range; allowed 1..50", refused(fixture, "alpha", Map.of("top", "0")));
            assertEquals("top 51 is out of range; allowed 1..50 (tfidf.top.max)",
                    refused(fixture, "alpha", Map.of("top", "51")));
            assertEquals("limit 'x' is not a whole number; allowed 1..50", refused(fixture, "alpha", Map.of("limit", "x")));
            assertEquals("offset 20 + top 50 is more than tfidf.window.max (60); page no deeper than that",
                    refused(fixture, "alpha", Map.of("top", "50", "offset", "20")));
            assertEquals("min 1.5 is out of range; allowed 0..1 (scores are cosines)",
                    refused(fixture, "alpha", Map.of("min", "1.5")));
            assertEquals("min 'high' is not a number; allowed 0..1 (scores are cosines)",
                    refused(fixture, "alpha", Map.of("min", "high")));
            assertEquals("similar takes top or limit (the same thing: how many hits), not both",
                    refused(fixture, "alpha", Map.of("top", "1", "limit", "1")));
            assertEquals("similar takes no option 'mode'; allowed: limit, min, offset, scorer, top, total",
                    refused(fixture, "alpha", Map.of("mode", "all")));
            assertEquals("scorer 'fast' is not allowed; use auto, pruned or exhaustive",
                    refused(fixture, "alpha", Map.of("scorer", "fast")));
            ModkvException e = assertThrows(ModkvException.class,
                    () -> fixture.index.query(IndexQuery.of("search", List.of("alpha"))));
            assertEquals("the tfidf index has no operation 'search'; it answers similar", e.getMessage());
        }
    }

    @Test
    void emptyPunctuationOrStopWordOnlyTextIsAClearError() {
        try (TfidfFixture fixture = new TfidfFixture(dir, Map.of("tfidf.analyzer", "english"))) {
            fixture.put("a", "the cat sat");
            for (String text : List.of("", "  ", "?!", "the of and")) {
                String message = refused(fixture, text, Map.of());
                assertEquals("the text has no words to compare after analysis (tfidf.analyzer=english): it is empty, "
                        + "only punctuation, or only stop words; give at least one word", message);
            }
            assertEquals(List.of(), fixture.similar("dog").hits(), "a word no value holds: no hits, no error");
        }
    }

    @Test
    void minDropsWeakHitsAndPagesFollowTheRanking() {
        try (TfidfFixture fixture = new TfidfFixture(dir, Map.of())) {
            fixture.put("a", "red apple");
            fixture.put("b", "red apple pie with cream");
            fixture.put("c", "red car");
            fixture.put("d", "blue sky");
            Map<String, Double> all = TfidfFixture.scores(fixture.similar("red apple"));
            assertEquals(List.of("a", "b", "c"), List.copyOf(all.keySet()));
            double second = all.get("b");
            assertEquals(List.of("a", "b"), List.copyOf(TfidfFixture.scores(fixture.similar("red apple",
                    Map.of("min", Double.toString(second)))).keySet()), "min keeps scores of at least min");
            assertEquals(List.of("b", "c"), List.copyOf(TfidfFixture.scores(fixture.similar("red apple",
                    Map.of("offset", "1", "limit", "2"))).keySet()));
            assertEquals(List.of("a"), List.copyOf(TfidfFixture.scores(fixture.similar("red apple",
                    Map.of("top", "1"))).keySet()));
            assertEquals(3, fixture.similar("red apple", Map.of("top", "1", "total", "exact")).totalHits());
        }
    }
}
