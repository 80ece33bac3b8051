package org.modkv.index.tfidf;

/**
 * One term of a query that documents hold: the contribution of a document with sublinear
 * frequency {@code a} and block norm {@code norms[doc]} is {@code factor * (a / norms[doc])}
 * (the same expression in every scorer, so their sums agree to the last bit).
 *
 * @param term the term's number in the {@link InvertedIndex}
 * @param factor block weight times the normalized query weight times the term's idf
 * @param postings the term's documents
 * @param norms the norms of the term's block (words or n-grams), by document number
 * @param upperBound the largest contribution any document can get from this term
 */
record QueryTerm(int term, double factor, PostingList postings, double[] norms, double upperBound) {

    /** What document at position {@code i} of the postings contributes. */
    double contribution(int i) {
        return factor * (postings.weight(i) / norms[postings.doc(i)]);
    }
}
