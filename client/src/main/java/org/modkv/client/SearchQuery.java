package org.modkv.client;

import java.util.Objects;

/**
 * A full-text search of the {@code fulltext} index: the query text and how to answer it.
 * Immutable; each {@code with...} method returns a changed copy:
 * {@code SearchQuery.of("\"red fox\" -dog").anyWord().withLimit(20).withStale(true)}.
 *
 * <p>The text is the index's query syntax (docs/design/fulltext.md): words, phrases in quotes,
 * prefixes ({@code data*}) and exclusions ({@code -word}).
 *
 * @param text the query text
 * @param any true: keys matching at least one word; false (the default): every word
 * @param offset how many of the best hits to skip (0 or more)
 * @param limit how many hits to return at most; 0 (the default) for the index's default. The
 *     index refuses more than its maximum with {@code INVALID_REQUEST}
 * @param stale true: answer from what the node's index holds now, without waiting to see
 *     every write acknowledged before the query (faster, may miss the latest writes)
 */
public record SearchQuery(String text, boolean any, int offset, int limit, boolean stale) {
    public SearchQuery {
        Objects.requireNonNull(text, "text");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 1 or more (or 0 for the index's default), got " + limit);
        }
    }

    /** Keys matching every word of {@code text}, the first page of the index's default size, fresh. */
    public static SearchQuery of(String text) {
        return new SearchQuery(text, false, 0, 0, false);
    }

    /** The same query matching keys that hold at least one of the words. */
    public SearchQuery anyWord() {
        return new SearchQuery(text, true, offset, limit, stale);
    }

    public SearchQuery withOffset(int offset) {
        return new SearchQuery(text, any, offset, limit, stale);
    }

    public SearchQuery withLimit(int limit) {
        return new SearchQuery(text, any, offset, limit, stale);
    }

    public SearchQuery withStale(boolean stale) {
        return new SearchQuery(text, any, offset, limit, stale);
    }
}
