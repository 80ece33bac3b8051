package org.modkv.bench.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuerySetTest {
    @Test
    void theSameCorpusAndSeedGiveTheSameQueriesInEveryGroup() {
        ZipfCorpus corpus = new ZipfCorpus(3000, 5000, 1.0, 20, 1);
        Map<QueryGroup, List<BenchQuery>> first = QuerySet.build(corpus, 3000, 50, 9).groups();
        assertEquals(first, QuerySet.build(corpus, 3000, 50, 9).groups());
        assertEquals(List.of("and-1-frequent", "and-1-mid", "and-2-frequent", "and-2-mid", "and-3-frequent", "and-3-mid",
                "or-1-frequent", "or-1-mid", "or-2-frequent", "or-2-mid", "or-3-frequent", "or-3-mid",
                "phrase-1-text", "phrase-2-text", "phrase-3-text"),
                first.keySet().stream().map(QueryGroup::label).toList());
        first.forEach((group, queries) -> {
            assertEquals(50, queries.size(), group.label());
            queries.forEach(query -> assertEquals(group.words(), query.words().size(), query.toString()));
        });
    }

    @Test
    void frequentWordsAreTheCommonestAndPhrasesAreWordsNextToEachOtherInADocument() {
        ZipfCorpus corpus = new ZipfCorpus(3000, 5000, 1.0, 20, 1);
        Map<QueryGroup, List<BenchQuery>> groups = QuerySet.build(corpus, 3000, 50, 9).groups();
        List<String> top = new ArrayList<>();
        for (int rank = 1; rank <= 150; rank++) { // the 100 commonest of a sample are among the first ranks
            top.add(ZipfCorpus.word(rank));
        }
        for (BenchQuery query : groups.get(new QueryGroup(QueryKind.AND, 3, "frequent"))) {
            assertTrue(top.containsAll(query.words()), query.toString());
        }
        List<String> texts = new ArrayList<>();
        corpus.documents().forEachRemaining(document -> texts.add(" " + document.text() + " "));
        for (BenchQuery query : groups.get(new QueryGroup(QueryKind.PHRASE, 3, "text"))) {
            String phrase = " " + String.join(" ", query.words()) + " ";
            assertTrue(texts.stream().anyMatch(text -> text.contains(phrase)), phrase);
            assertEquals('"' + phrase.strip() + '"', query.text());
        }
    }

    @Test
    void queryTextAndModeFollowTheKind() {
        assertEquals("red fox", new BenchQuery(new QueryGroup(QueryKind.AND, 2, "mid"), List.of("red", "fox")).text());
        assertTrue(new BenchQuery(new QueryGroup(QueryKind.PHRASE, 2, "text"), List.of("red", "fox")).all());
        assertTrue(!new BenchQuery(new QueryGroup(QueryKind.OR, 2, "mid"), List.of("red", "fox")).all());
    }

    @Test
    void wordsAreLowerCasedRunsOfLettersAndDigits() {
        assertEquals(List.of("vi", "improved", "enhanced", "vi", "editor", "2", "0"),
                QuerySet.words("Vi IMproved - enhanced vi editor (2.0)"));
    }

    @Test
    void aCorpusWithTooFewWordsIsAClearError() throws IOException {
        Corpus tiny = DebianDescriptions.read(new StringReader("Package: a\nDescription: x y\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuerySet.build(tiny, 10, 5, 1));
        assertTrue(e.getMessage().contains("fewer than 3 distinct words"), e.getMessage());
    }
}
