package org.modkv.bench.search;

import java.util.Objects;

/**
 * One document of a search benchmark corpus: the key it is stored under and its text value.
 *
 * @param key  the key (UTF-8 when sent)
 * @param text the value (UTF-8 when sent)
 */
public record CorpusDocument(String key, String text) {
    public CorpusDocument {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(text, "text");
    }
}
