package org.modkv.bench.search;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Runs every group of a {@link QuerySet} against a {@link QueryTarget}, one query at a time
 * (closed loop, one client), and prints one line per group:
 * {@code QUERY target=<t> corpus=<c> group=<kind-words-frequency> count=<n> p50_us=<> p99_us=<> max_us=<> mean_hits=<>}.
 * Each group first runs its warm-up queries unrecorded.
 */
public final class QueryPhase {
    private QueryPhase() {
    }

    public static void run(String target, Corpus corpus, QuerySet queries, SearchBenchOptions options,
                           QueryTarget destination, PrintStream out) throws Exception {
        for (Map.Entry<QueryGroup, List<BenchQuery>> group : queries.groups().entrySet()) {
            List<BenchQuery> distinct = group.getValue().subList(0, Math.min(options.distinct(), group.getValue().size()));
            if (distinct.isEmpty()) {
                out.printf("QUERY target=%s corpus=%s group=%s count=0 (no queries: the corpus has no such text)%n",
                        target, corpus.name(), group.getKey().label());
                continue;
            }
            for (int i = 0; i < options.warmupQueries(); i++) {
                destination.search(distinct.get(i % distinct.size()));
            }
            Histogram latency = new Histogram(3_600_000_000L, 3);
            long hits = 0;
            for (int i = 0; i < options.queries(); i++) {
                long start = System.nanoTime();
                hits += destination.search(distinct.get(i % distinct.size()));
                latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
            }
            out.printf("QUERY target=%s corpus=%s group=%s count=%d p50_us=%d p99_us=%d max_us=%d mean_hits=%.0f%n",
                    target, corpus.name(), group.getKey().label(), options.queries(),
                    latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue(),
                    options.queries() == 0 ? 0.0 : (double) hits / options.queries());
        }
    }
}
