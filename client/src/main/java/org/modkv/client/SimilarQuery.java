package org.modkv.client;

import java.util.Objects;

/**
 * A similarity query of the {@code tfidf} index: the keys whose values read most like a text,
 * by TF-IDF cosine (0..1), best first. Immutable; each {@code with...} method returns a changed
 * copy: {@code SimilarQuery.of("red apple pie").withTop(20).withMinScore(0.2).withStale(true)}.
 * See docs/design/tfidf.md.
 *
 * @param text the text to compare with
 * @param offset how many of the best hits to skip (0 or more)
 * @param top how many hits to return at most; 0 (the default) for the index's default. The index
 *     refuses more than {@code tfidf.top.max} with {@code INVALID_REQUEST}
 * @param minScore the lowest score to return, 0..1 (default 0: every document sharing a word)
 * @param stale true: answer from what the node's index holds now, without waiting to see every
 *     write acknowledged before the query
 */
public record SimilarQuery(String text, int offset, int top, double minScore, boolean stale) {
    public SimilarQuery {
        Objects.requireNonNull(text, "text");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
        if (top < 0) {
            throw new IllegalArgumentException("top must be 1 or more (or 0 for the index's default), got " + top);
        }
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("minScore must be from 0 to 1 (scores are cosines), got " + minScore);
        }
    }

    /** The index's default number of best hits for {@code text}, any positive score, fresh. */
    public static SimilarQuery of(String text) {
        return new SimilarQuery(text, 0, 0, 0, false);
    }

    public SimilarQuery withOffset(int offset) {
        return new SimilarQuery(text, offset, top, minScore, stale);
    }

    public SimilarQuery withTop(int top) {
        return new SimilarQuery(text, offset, top, minScore, stale);
    }

    public SimilarQuery withMinScore(double minScore) {
        return new SimilarQuery(text, offset, top, minScore, stale);
    }

    public SimilarQuery withStale(boolean stale) {
        return new SimilarQuery(text, offset, top, minScore, stale);
    }
}
