package org.modkv.bench.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimilarTextsTest {
    @Test
    void theSameCorpusAndSeedGiveTheSameDistinctOpeningsOfDocuments() {
        ZipfCorpus corpus = new ZipfCorpus(2000, 3000, 1.0, 20, 1);
        List<String> texts = SimilarTexts.build(corpus, 1000, 50, 6, 7);
        assertEquals(texts, SimilarTexts.build(corpus, 1000, 50, 6, 7));
        assertNotEquals(texts, SimilarTexts.build(corpus, 1000, 50, 6, 8));
        assertEquals(50, texts.size());
        Set<String> openings = new HashSet<>();
        for (Iterator<CorpusDocument> documents = corpus.documents(); openings.size() < 1000 && documents.hasNext(); ) {
            String[] words = documents.next().text().trim().split("\\s+");
            openings.add(String.join(" ", List.of(words).subList(0, Math.min(6, words.length))));
        }
        for (String text : texts) {
            assertTrue(openings.contains(text), "the opening of a sampled document: " + text);
            assertTrue(text.split(" ").length <= 6, text);
        }
    }

    @Test
    void aSmallSampleGivesAtMostItsDocuments() {
        ZipfCorpus corpus = new ZipfCorpus(10, 100, 1.0, 20, 1);
        assertTrue(SimilarTexts.build(corpus, 10, 50, 6, 1).size() <= 10);
    }
}
