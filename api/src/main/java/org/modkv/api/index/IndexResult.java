package org.modkv.api.index;

import java.util.List;
import java.util.Objects;

/**
 * An index's answer: the page of hits asked for (best first) and how many hits the whole query
 * has, so a client can page through them.
 *
 * @param hits the hits from {@code offset} on, at most {@code limit} of them, best first; ties
 *     broken by key (unsigned byte order)
 * @param totalHits how many keys match the query in all (at least {@code hits.size()}); an index
 *     that cannot count cheaply may answer the number it scored, and says so in its docs
 */
public record IndexResult(List<ScoredKey> hits, long totalHits) {
    public IndexResult {
        hits = List.copyOf(Objects.requireNonNull(hits, "hits"));
        if (totalHits < hits.size()) {
            throw new IllegalArgumentException("totalHits " + totalHits + " is less than the " + hits.size() + " hits");
        }
    }

    /** No hits at all. */
    public static IndexResult empty() {
        return new IndexResult(List.of(), 0);
    }
}
