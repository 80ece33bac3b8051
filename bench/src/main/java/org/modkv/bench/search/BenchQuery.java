package org.modkv.bench.search;

import java.util.List;

/**
 * One benchmark query.
 *
 * @param group its class
 * @param words its words, lower-case
 */
public record BenchQuery(QueryGroup group, List<String> words) {
    public BenchQuery {
        words = List.copyOf(words);
    }

    /** True when every word must match (AND and phrase); false for OR. */
    public boolean all() {
        return group.kind() != QueryKind.OR;
    }

    /** The query text in the fulltext index's syntax (Lucene SimpleQueryParser): phrases quoted. */
    public String text() {
        String joined = String.join(" ", words);
        return group.kind() == QueryKind.PHRASE ? '"' + joined + '"' : joined;
    }
}
