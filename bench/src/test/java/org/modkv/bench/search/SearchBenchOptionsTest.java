package org.modkv.bench.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchBenchOptionsTest {
    @Test
    void defaultsAndGivenValues() {
        SearchBenchOptions options = SearchBenchOptions.parse(List.of("--corpus", "zipf", "--docs", "1000",
                "--load", "--lag-rate", "500", "--stale"));
        assertEquals(1000, options.docs());
        assertEquals(100_000, options.vocabulary());
        assertTrue(options.load() && options.stale());
        assertEquals(500, options.lagRate());
        assertEquals("127.0.0.1:6380", options.resp());
        assertEquals("zipf-1000", options.openCorpus().name());
        assertEquals(0, options.similarQueries(), "no similarity step unless asked");
        assertEquals(10, options.top());
        SearchBenchOptions similar = SearchBenchOptions.parse(List.of("--corpus", "zipf", "--similar", "50", "--top", "5",
                "--similar-words", "8"));
        assertEquals(List.of(50, 5, 8), List.of(similar.similarQueries(), similar.top(), similar.similarWords()));
    }

    @Test
    void badOptionsSayWhatIsAllowed() {
        assertTrue(message("--corpus", "man").contains("use debian or zipf"));
        assertTrue(message().contains("--corpus is missing"));
        assertTrue(message("--corpus", "debian").contains("--debian-file"));
        assertTrue(message("--corpus", "zipf", "--docs", "many").contains("--docs 'many' is not allowed"));
        assertTrue(message("--corpus", "zipf", "--frobnicate").contains("unknown option '--frobnicate'"));
        assertTrue(message("--corpus", "zipf", "--docs").contains("--docs needs a value"));
        assertTrue(message("--corpus", "zipf", "--exponent", "0").contains("exponent"));
        assertTrue(message("--corpus", "zipf", "--top", "0").contains("--top '0' is not allowed; use a whole number of 1 or more"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> SearchBenchOptions.parse(List.of(args))).getMessage();
    }
}
