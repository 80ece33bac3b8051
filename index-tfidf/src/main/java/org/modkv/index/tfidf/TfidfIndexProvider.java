package org.modkv.index.tfidf;

import org.modkv.api.ApiVersion;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.IndexProvider;

/**
 * The {@code tfidf} index plugin: {@code similar(text)} answers the keys whose values are most
 * like the text, by cosine similarity of sparse TF-IDF vectors (sublinear tf, smoothed idf, L2
 * norm), best first, ties by key; exact top-k with MaxScore pruning. Options {@code top} (or
 * {@code limit}), {@code offset}, {@code min}; {@code scorer=exhaustive} and {@code total=exact}
 * for checking.
 *
 * <p>Config ({@code tfidf.*}): {@code analyzer}, {@code fold}, {@code ngrams},
 * {@code ngrams.weight.percent}, {@code top.default}, {@code top.max}, {@code window.max},
 * {@code idf.refresh.percent}, {@code idf.refresh.min}; each key's documentation is in
 * {@link #configSchema()}. Design: docs/design/tfidf.md.
 *
 * <p>Found through {@link java.util.ServiceLoader}; do not call it directly.
 */
public final class TfidfIndexProvider implements IndexProvider {

    /** For {@link java.util.ServiceLoader}. */
    public TfidfIndexProvider() {
    }

    @Override
    public String name() {
        return "tfidf";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "similar text: exact top-k TF-IDF cosine similarity over the values (in memory, MaxScore pruning)";
    }

    @Override
    public ConfigSchema configSchema() {
        return TfidfOptions.SCHEMA;
    }

    @Override
    public Index open(IndexContext context) {
        return new TfidfIndex(TfidfOptions.from(context.config()));
    }
}
