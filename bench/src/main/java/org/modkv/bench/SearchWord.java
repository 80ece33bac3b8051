package org.modkv.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One word of the value vocabulary, prepared once in every form a target sends it in, so that a
 * search request allocates nothing of ours.
 */
final class SearchWord {
    private final String text;
    private final List<String> query;
    private final byte[] utf8;

    SearchWord(String text) {
        this.text = text;
        this.query = List.of(text);
        this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    }

    String text() {
        return text;
    }

    /** The word as a one-word query list, for {@code ModkvClient.searchAsync}. */
    List<String> query() {
        return query;
    }

    /** The word's UTF-8 bytes; do not modify. */
    byte[] utf8() {
        return utf8;
    }

    @Override
    public String toString() {
        return text;
    }
}
