package org.modkv.bench.search;

/**
 * A class of benchmark queries whose latencies are reported together.
 *
 * @param kind      how the words combine
 * @param words     how many words (1 to 3)
 * @param frequency where the words come from: {@code frequent} (the most common words),
 *                  {@code mid} (mid-frequency words) or {@code text} (words next to each other
 *                  in a document, for phrases)
 */
public record QueryGroup(QueryKind kind, int words, String frequency) {
    /** e.g. {@code and-2-frequent}. */
    public String label() {
        return kind.label() + "-" + words + "-" + frequency;
    }
}
