package org.modkv.bench.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZipfCorpusTest {
    private static List<CorpusDocument> documents(Corpus corpus) {
        List<CorpusDocument> all = new ArrayList<>();
        corpus.documents().forEachRemaining(all::add);
        return all;
    }

    @Test
    void theSameOptionsGiveTheSameDocumentsEveryTime() {
        ZipfCorpus corpus = new ZipfCorpus(500, 1000, 1.0, 20, 42);
        List<CorpusDocument> first = documents(corpus);
        assertEquals(500, first.size());
        assertEquals(first, documents(corpus), "a second pass over the same corpus");
        assertEquals(first, documents(new ZipfCorpus(500, 1000, 1.0, 20, 42)), "a second corpus with the same options");
        assertNotEquals(first, documents(new ZipfCorpus(500, 1000, 1.0, 20, 43)), "another seed");
        assertEquals(ZipfCorpus.key(0), first.get(0).key());
        assertEquals(ZipfCorpus.key(499), first.get(499).key());
    }

    @Test
    void everyRankHasItsOwnWordOfLettersOnly() {
        Set<String> words = new HashSet<>();
        for (int rank = 1; rank <= 20_000; rank++) {
            String word = ZipfCorpus.word(rank);
            assertTrue(word.chars().allMatch(c -> c >= 'a' && c <= 'z'), word);
            assertTrue(words.add(word), "rank " + rank + " repeats " + word);
        }
        assertThrows(IllegalArgumentException.class, () -> ZipfCorpus.word(0));
    }

    @Test
    void wordFrequenciesFallWithRankAndLengthsCentreOnTheMean() {
        ZipfCorpus corpus = new ZipfCorpus(2000, 5000, 1.0, 30, 7);
        Map<String, Integer> counts = new HashMap<>();
        long words = 0;
        for (CorpusDocument document : documents(corpus)) {
            for (String word : document.text().split(" ")) {
                counts.merge(word, 1, Integer::sum);
                words++;
            }
        }
        int first = counts.getOrDefault(ZipfCorpus.word(1), 0);
        int tenth = counts.getOrDefault(ZipfCorpus.word(10), 0);
        int hundredth = counts.getOrDefault(ZipfCorpus.word(100), 0);
        assertTrue(first > tenth && tenth > hundredth, first + " " + tenth + " " + hundredth);
        double mean = (double) words / corpus.size();
        assertTrue(mean > 25 && mean < 35, "mean words per document " + mean);
    }

    @Test
    void badOptionsNameWhatIsAllowed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ZipfCorpus(0, 10, 1, 10, 1))
                .getMessage().contains("documents 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ZipfCorpus(1, 0, 1, 10, 1))
                .getMessage().contains("vocabulary 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ZipfCorpus(1, 10, 0, 10, 1))
                .getMessage().contains("exponent"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ZipfCorpus(1, 10, 1, 0.5, 1))
                .getMessage().contains("mean words"));
    }
}
