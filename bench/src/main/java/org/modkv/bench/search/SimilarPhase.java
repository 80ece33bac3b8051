package org.modkv.bench.search;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.modkv.client.ModkvClient;

/**
 * The similarity step of {@code modkv bench-search --similar N}: top-k {@code SIMILAR} queries
 * over RESP, one at a time (closed loop), after {@code --warmup-queries} unrecorded ones; the
 * node's {@code tfidf} stats before and after give the documents each query scored. Prints
 * {@code SIMILAR target=modkv corpus=<c> docs=<n> top=<k> count=<q> p50_us=<> p99_us=<> max_us=<>
 * mean_hits=<> docs_scored_per_query=<> scored_fraction=<>} (documents scored over documents indexed).
 */
public final class SimilarPhase {
    private SimilarPhase() {
    }

    public static void run(Corpus corpus, List<String> texts, SearchBenchOptions options, RespSearchClient resp,
                           ModkvClient client, PrintStream out) throws Exception {
        if (texts.isEmpty()) {
            out.printf("SIMILAR target=modkv corpus=%s count=0 (no texts: the corpus has no document of %d words)%n",
                    corpus.name(), SimilarTexts.MIN_WORDS);
            return;
        }
        for (int i = 0; i < options.warmupQueries(); i++) {
            resp.similar(texts.get(i % texts.size()), options.top());
        }
        Map<String, String> before = tfidfStats(client);
        Histogram latency = new Histogram(3_600_000_000L, 3);
        long hits = 0;
        for (int i = 0; i < options.similarQueries(); i++) {
            long start = System.nanoTime();
            hits += resp.similar(texts.get(i % texts.size()), options.top());
            latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        }
        Map<String, String> after = tfidfStats(client);
        long queries = figure(after, "queries") - figure(before, "queries");
        long scored = figure(after, "docs_scored") - figure(before, "docs_scored");
        long docs = figure(after, "docs");
        double perQuery = queries == 0 ? 0 : (double) scored / queries;
        out.printf("SIMILAR target=modkv corpus=%s docs=%d top=%d count=%d p50_us=%d p99_us=%d max_us=%d mean_hits=%.1f "
                        + "docs_scored_per_query=%.0f scored_fraction=%.4f%n",
                corpus.name(), docs, options.top(), options.similarQueries(), latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getMaxValue(),
                options.similarQueries() == 0 ? 0.0 : (double) hits / options.similarQueries(), perQuery,
                docs == 0 ? 0.0 : perQuery / docs);
    }

    private static Map<String, String> tfidfStats(ModkvClient client) {
        Map<String, String> indexes = client.stats().getOrDefault("indexes", Map.of());
        if (!indexes.containsKey("tfidf.docs_scored")) {
            throw new IllegalStateException("the node reports no tfidf index in its stats (it has: " + indexes.keySet()
                    + "); start it with indexes=fulltext,tfidf");
        }
        return indexes;
    }

    private static long figure(Map<String, String> indexes, String name) {
        return Long.parseLong(indexes.get("tfidf." + name));
    }
}
