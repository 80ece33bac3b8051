package org.modkv.client;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a search or a find-value: one page of hits, best first, and how many keys
 * match in all (page on with {@link SearchQuery#withOffset}).
 *
 * @param hits the page asked for
 * @param total how many keys match the whole query (at least {@code hits.size()})
 */
public record SearchResult(List<SearchHit> hits, long total) {
    public SearchResult {
        hits = List.copyOf(Objects.requireNonNull(hits, "hits"));
    }
}
