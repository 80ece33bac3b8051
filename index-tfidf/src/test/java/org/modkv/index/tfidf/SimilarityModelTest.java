package org.modkv.index.tfidf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.index.IndexResult;
import org.modkv.api.storage.WriteBatch;

/**
 * What a score means: right after an IDF snapshot the scores are the textbook TF-IDF cosine
 * (sublinear tf, smoothed idf, L2 norms) computed here from scratch; n-grams find near-spellings;
 * the staleness of the IDF snapshot stays within its stated bound; stats report memory and work.
 */
class SimilarityModelTest {
    @TempDir
    Path dir;

    @Test
    void afterASnapshotScoresAreTheTextbookCosineAndTiesGoByKey() throws IOException {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put("d1", "red apple red apple pie");
        docs.put("d2", "green apple");
        docs.put("d3", "red car fast car");
        docs.put("d4", "pie recipe with apple and cinnamon");
        docs.put("d6", "green apple"); // same text as d2: same score, d2 first
        docs.put("d5", "the quick brown fox");
        try (TfidfFixture fixture = new TfidfFixture(dir, Map.of())) {
            docs.forEach(fixture::put);
            fixture.put("gone", "red apple");
            fixture.delete("gone");
            fixture.index.resync(fixture.sequence(), fixture.data); // a fresh snapshot: idf is current
            docs.remove("gone");
            for (String query : List.of("red apple", "apple pie apple", "fast car", "cinnamon", "green apple red")) {
                Map<String, Double> expected = textbook(query, docs);
                Map<String, Double> got = TfidfFixture.scores(fixture.similar(query, Map.of("top", "100")));
                assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(got.keySet()), query);
                // tf weights are kept as floats: agreement to about 1e-7 with this all-double computation
                expected.forEach((key, score) -> assertEquals(score, got.get(key), 1e-6, query + " " + key));
            }
            List<String> apple = new ArrayList<>(TfidfFixture.scores(fixture.similar("green apple")).keySet());
            assertEquals(List.of("d2", "d6"), apple.subList(0, 2), "equal scores ordered by key");
            assertEquals(1.0, fixture.similar("green apple").hits().get(0).score(), 1e-6, "the same text: cosine 1");
        }
    }

    /** Keys to the cosine of {@code query} and each document, best first then by key, positive only. */
    private static Map<String, Double> textbook(String query, Map<String, String> docs) {
        Map<String, Integer> df = new HashMap<>();
        docs.values().forEach(text -> counts(text).keySet().forEach(w -> df.merge(w, 1, Integer::sum)));
        int n = docs.size();
        Map<String, Double> q = vector(counts(query), df, n);
        Map<String, Double> scores = new HashMap<>();
        docs.forEach((key, text) -> {
            Map<String, Double> d = vector(counts(text), df, n);
            double dot = 0;
            for (Map.Entry<String, Double> e : q.entrySet()) {
                dot += e.getValue() * d.getOrDefault(e.getKey(), 0.0);
            }
            if (dot > 0) {
                scores.put(key, dot);
            }
        });
        Map<String, Double> sorted = new LinkedHashMap<>();
        scores.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static Map<String, Double> vector(Map<String, Integer> counts, Map<String, Integer> df, int n) {
        Map<String, Double> v = new TreeMap<>();
        double norm = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            double w = (1 + Math.log(e.getValue())) * (Math.log((1.0 + n) / (1.0 + df.getOrDefault(e.getKey(), 0))) + 1);
            v.put(e.getKey(), w);
            norm += w * w;
        }
        double length = Math.sqrt(norm);
        v.replaceAll((k, w) -> w / length);
        return v;
    }

    private static Map<String, Integer> counts(String text) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String word : text.split(" ")) {
            counts.merge(word, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void ngramsMakeANearSpellingMatch() {
        try (TfidfFixture words = new TfidfFixture(dir.resolve("words"), Map.of());
             TfidfFixture grams = new TfidfFixture(dir.resolve("grams"), Map.of("tfidf.ngrams", "3"))) {
            for (TfidfFixture fixture : List.of(words, grams)) {
                fixture.put("a", "receive the parcel");
                fixture.put("b", "deliver mail quickly");
                fixture.put("c", "hot soup bowl");
            }
            assertEquals(List.of(), words.similar("recieve").hits(), "words only: no shared word");
            List<String> found = new ArrayList<>(TfidfFixture.scores(grams.similar("recieve")).keySet());
            assertEquals("a", found.get(0), "with 3-grams 'recieve' finds 'receive' first: " + found);
        }
    }

    @Test
    void theNgramWeightMixesTheTwoCosines() {
        try (TfidfFixture gramsOnly = new TfidfFixture(dir.resolve("g"), Map.of("tfidf.ngrams", "3",
                "tfidf.ngrams.weight.percent", "100"));
             TfidfFixture wordsOnly = new TfidfFixture(dir.resolve("w"), Map.of("tfidf.ngrams", "3",
                     "tfidf.ngrams.weight.percent", "0"))) {
            for (TfidfFixture fixture : List.of(gramsOnly, wordsOnly)) {
                fixture.put("a", "receive the parcel");
            }
            assertEquals(1, gramsOnly.similar("recieve").hits().size(), "n-grams only: the near-spelling counts");
            assertEquals(0, wordsOnly.similar("recieve").hits().size(), "weight 0: n-grams do not count");
            assertEquals(1.0, wordsOnly.similar("parcel the receive").hits().get(0).score(), 1e-6);
        }
    }

    @Test
    void theIdfSnapshotIsNeverStalerThanItsBound() {
        try (TfidfFixture fixture = new TfidfFixture(dir, Map.of("tfidf.idf.refresh.min", "20",
                "tfidf.idf.refresh.percent", "10"))) {
            long snapshots = 0;
            for (int i = 0; i < 600; i++) {
                WriteBatch batch = new WriteBatch().put(TfidfFixture.bytes("k" + (i % 250)),
                        TfidfFixture.bytes("word" + (i % 37) + " common text " + i));
                if (i % 7 == 0) {
                    batch.delete(TfidfFixture.bytes("k" + ((i * 13) % 250)));
                }
                fixture.write(batch);
                Map<String, Object> stats = fixture.index.stats();
                long changes = (Long) stats.get("changes_since_idf_snapshot");
                long bound = (Long) stats.get("idf_snapshot_after_changes");
                assertTrue(changes < bound, "after write " + i + ": " + changes + " changes since the snapshot, bound "
                        + bound);
                assertEquals(Math.max(20L, (Long) stats.get("idf_snapshot_docs") / 10), bound);
                snapshots = (Long) stats.get("idf_snapshots");
            }
            assertTrue(snapshots > 5, "snapshots were taken as documents changed: " + snapshots);
        }
    }

    @Test
    void aQueryWithFewPostingsIsScoredExhaustivelyAndALargerOneIsPruned() {
        try (TfidfFixture small = new TfidfFixture(dir.resolve("default"), Map.of());
             TfidfFixture pruned = new TfidfFixture(dir.resolve("pruned"), Map.of("tfidf.prune.min.postings", "0"))) {
            for (TfidfFixture fixture : List.of(small, pruned)) {
                WriteBatch batch = new WriteBatch();
                for (int i = 0; i < 300; i++) {
                    batch.put(TfidfFixture.bytes(String.format("k%03d", i)), TfidfFixture.bytes("common words " + i));
                }
                batch.put(TfidfFixture.bytes("rare"), TfidfFixture.bytes("rare common"));
                fixture.write(batch);
            }
            IndexResult exhaustive = small.similar("rare common", Map.of("top", "1"));
            IndexResult cheaper = pruned.similar("rare common", Map.of("top", "1"));
            assertEquals(TfidfFixture.scores(exhaustive), TfidfFixture.scores(cheaper), "the same answer");
            assertEquals(301, exhaustive.totalHits(), "302 postings, under tfidf.prune.min.postings: all scored");
            assertTrue(cheaper.totalHits() < 301, "pruned: " + cheaper.totalHits() + " scored");
            assertEquals(cheaper.totalHits(), small.similar("rare common", Map.of("top", "1", "scorer", "pruned"))
                    .totalHits(), "scorer=pruned prunes whatever tfidf.prune.min.postings says");
        }
    }

    @Test
    void statsReportMemoryPerDocumentAndPerTermAndTheWorkOfQueries() {
        try (TfidfFixture fixture = new TfidfFixture(dir, Map.of())) {
            fixture.put("a", "alpha beta gamma");
            fixture.put("b", "alpha delta");
            fixture.write(new WriteBatch().put(TfidfFixture.bytes("bin"), new byte[] {(byte) 0xff, (byte) 0xfe}));
            IndexResult result = fixture.similar("alpha");
            assertEquals(2, result.hits().size());
            Map<String, Object> stats = fixture.index.stats();
            assertEquals(2L, stats.get("docs"));
            assertEquals(1L, stats.get("non_text_values"));
            assertEquals(4L, stats.get("terms"));
            assertEquals(5L, stats.get("postings"));
            assertTrue((Long) stats.get("bytes_per_document") > 0 && (Long) stats.get("bytes_per_term") > 0, stats.toString());
            assertEquals((Long) stats.get("document_bytes") + (Long) stats.get("term_bytes"), stats.get("memory_bytes"));
            assertEquals(1L, stats.get("queries"));
            assertEquals(2L, stats.get("docs_scored"));
            assertEquals(2L, result.totalHits(), "the total is the number of documents scored");
            fixture.put("bin", "alpha now text");
            assertEquals(0L, fixture.index.stats().get("non_text_values"));
        }
    }
}
