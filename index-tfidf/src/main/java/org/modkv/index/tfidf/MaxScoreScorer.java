package org.modkv.index.tfidf;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Top-k by MaxScore (Turtle and Flood's document-at-a-time variant): the query terms sorted by
 * their upper bound; the longest prefix of weak terms whose bounds together cannot reach the
 * current threshold is <em>non-essential</em>. Only documents of the essential terms are
 * candidates; a candidate gets the non-essential terms' contributions strongest first, and is
 * dropped as soon as what it has plus what the rest could add cannot reach the threshold. A
 * candidate scored in full is scored like {@link ExhaustiveScorer} does (contributions summed in
 * term order), so the answer is the exhaustive answer. Before a candidate is looked at, the
 * block-max bounds of the essential lists' current blocks (see {@link PostingList}) plus the
 * non-essential lists' bounds are summed: when even that cannot reach the threshold, every
 * document up to the first end of those blocks is skipped (block-max MaxScore). See docs/design/tfidf.md, "Top-k".
 */
final class MaxScoreScorer {
    /**
     * Slack on every pruning test, far above the rounding of a sum of a few hundred terms at most
     * 1 and far below any difference of scores that matters: a document is skipped only when its
     * bound is below the threshold by more than this.
     */
    static final double SLACK = 1e-12;
    /** Documents scored first per hit asked for (offset + limit), at least {@link #SEED_MIN}, at most {@link #SEED_MAX}. */
    private static final int SEED_PER_HIT = 4;
    private static final int SEED_MIN = 64;
    private static final int SEED_MAX = 4096;

    private MaxScoreScorer() {
    }

    static Ranking rank(List<QueryTerm> query, InvertedIndex index, int window, int offset, double minScore) {
        int m = query.size();
        QueryTerm[] byBound = query.toArray(new QueryTerm[0]);
        int[] canonical = new int[m]; // position in the query (term order) of byBound[i]
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(query.get(a).upperBound(), query.get(b).upperBound()));
        double[] prefix = new double[m + 1]; // prefix[i]: sum of the bounds of byBound[0..i-1]
        for (int i = 0; i < m; i++) {
            byBound[i] = query.get(order[i]);
            canonical[i] = order[i];
            prefix[i + 1] = prefix[i] + byBound[i].upperBound();
        }
        int[] position = new int[m];
        double[] contribution = new double[m]; // by canonical position
        TopHits top = new TopHits(window, minScore);
        BitSet seeded = new BitSet(index.docSlots());
        long scored = seed(query, byBound, index, top, window, seeded);
        double threshold = top.threshold();
        int essential = firstEssential(prefix, threshold);
        while (essential < m) {
            int doc = Integer.MAX_VALUE;
            for (int i = essential; i < m; i++) {
                if (position[i] < byBound[i].postings().size()) {
                    doc = Math.min(doc, byBound[i].postings().doc(position[i]));
                }
            }
            if (doc == Integer.MAX_VALUE) {
                break;
            }
            // Block-max: every document from doc to upto gets at most the essential lists' current
            // block bounds plus the non-essential lists' whole bounds.
            double bound = prefix[essential];
            int upto = Integer.MAX_VALUE;
            for (int i = essential; i < m; i++) {
                PostingList postings = byBound[i].postings();
                if (position[i] < postings.size()) {
                    bound += byBound[i].factor() * postings.blockMax(position[i]);
                    upto = Math.min(upto, postings.blockLastDoc(position[i]));
                }
            }
            if (bound < threshold - SLACK) {
                for (int i = essential; i < m; i++) {
                    position[i] = byBound[i].postings().advance(position[i], upto + 1);
                }
                continue;
            }
            boolean live = index.key(doc) != null && !seeded.get(doc);
            double partial = 0;
            for (int i = essential; i < m; i++) {
                PostingList postings = byBound[i].postings();
                if (position[i] < postings.size() && postings.doc(position[i]) == doc) {
                    if (live) {
                        double c = byBound[i].contribution(position[i]);
                        contribution[canonical[i]] = c;
                        partial += c;
                    }
                    position[i]++;
                }
            }
            if (!live) {
                continue;
            }
            boolean complete = true;
            for (int i = essential - 1; i >= 0; i--) {
                if (partial + prefix[i + 1] < threshold - SLACK) {
                    complete = false;
                    break;
                }
                PostingList postings = byBound[i].postings();
                position[i] = postings.advance(position[i], doc);
                if (position[i] < postings.size() && postings.doc(position[i]) == doc) {
                    double c = byBound[i].contribution(position[i]);
                    contribution[canonical[i]] = c;
                    partial += c;
                }
            }
            if (complete) {
                scored++;
                double score = 0;
                for (int j = 0; j < m; j++) {
                    score += contribution[j];
                }
                top.offer(index.key(doc), score);
                double raised = top.threshold();
                if (raised != threshold) {
                    threshold = raised;
                    essential = firstEssential(prefix, threshold);
                }
            }
            Arrays.fill(contribution, 0);
        }
        return new Ranking(top.page(offset), scored, -1);
    }

    /**
     * Scores in full, first, the first documents of the strongest terms (rare words: the likely
     * best hits), so that the threshold starts near its final value and the weak terms are
     * non-essential from the start. Marks the documents scored in {@code seeded} (the main pass
     * skips them) and returns how many there are.
     */
    private static int seed(List<QueryTerm> query, QueryTerm[] byBound, InvertedIndex index, TopHits top, int window,
                            BitSet seeded) {
        int budget = Math.min(SEED_MAX, Math.max(SEED_MIN, SEED_PER_HIT * window));
        int count = 0;
        for (int i = byBound.length - 1; i >= 0 && count < budget; i--) {
            PostingList postings = byBound[i].postings();
            for (int j = 0; j < postings.size() && count < budget; j++) {
                int doc = postings.doc(j);
                if (index.key(doc) != null && !seeded.get(doc)) {
                    seeded.set(doc);
                    count++;
                    top.offer(index.key(doc), score(query, doc));
                }
            }
        }
        return count;
    }

    /** The score of {@code doc}: contributions looked up in every list, summed in term order. */
    private static double score(List<QueryTerm> query, int doc) {
        double score = 0;
        for (QueryTerm term : query) {
            PostingList postings = term.postings();
            int at = postings.advance(0, doc);
            if (at < postings.size() && postings.doc(at) == doc) {
                score += term.contribution(at);
            }
        }
        return score;
    }

    /** The number of weakest terms whose bounds together fall short of {@code threshold}. */
    private static int firstEssential(double[] prefix, double threshold) {
        int p = 0;
        while (p + 1 < prefix.length && prefix[p + 1] < threshold - SLACK) {
            p++;
        }
        return p;
    }
}
