package org.modkv.index.tfidf;

import java.util.List;

/**
 * The baseline: scores every document that holds a query term, term at a time over the full
 * posting lists, into one accumulator per document. Contributions are added in the query's term
 * order, as {@link MaxScoreScorer} adds them, so both give bit-identical scores. Used to check
 * the pruning (tests, and {@code scorer=exhaustive} in benchmarks) and to count all matches
 * ({@code total=exact}).
 */
final class ExhaustiveScorer {
    private ExhaustiveScorer() {
    }

    static Ranking rank(List<QueryTerm> query, InvertedIndex index, int window, int offset, double minScore) {
        double[] scores = new double[index.docSlots()];
        int[] touched = new int[16];
        int count = 0;
        for (QueryTerm term : query) {
            PostingList postings = term.postings();
            for (int i = 0; i < postings.size(); i++) {
                int doc = postings.doc(i);
                if (index.key(doc) == null) {
                    continue;
                }
                if (scores[doc] == 0) {
                    if (count == touched.length) {
                        touched = java.util.Arrays.copyOf(touched, count * 2);
                    }
                    touched[count++] = doc;
                }
                scores[doc] += term.contribution(i);
            }
        }
        TopHits top = new TopHits(window, minScore);
        long matches = 0;
        for (int i = 0; i < count; i++) {
            int doc = touched[i];
            if (scores[doc] > 0 && scores[doc] >= minScore) {
                matches++;
            }
            top.offer(index.key(doc), scores[doc]);
        }
        return new Ranking(top.page(offset), count, matches);
    }
}
