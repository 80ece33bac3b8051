package org.modkv.index.fulltext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.modkv.api.ApiVersion;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.IndexProvider;

/**
 * The {@code fulltext} index plugin: full-text search over values that are UTF-8 text (Lucene,
 * BM25, Lucene's simple query syntax: all or any words, "phrases", prefix*, -exclusions) and
 * exact-value lookup over every value, text or not. Answers the operations {@code search}
 * (option {@code mode=all|any}) and {@code findvalue} (option {@code value.encoding=utf-8|latin1|base64}),
 * both with {@code offset} and {@code limit}.
 *
 * <p>Config ({@code fulltext.*}): {@code analyzer} ({@code standard}, {@code english},
 * {@code whitespace}), {@code fold} (true), {@code limit.default} (10), {@code limit.max} (1000),
 * {@code window.max} (100000), {@code ram.buffer.mb} (64); each key's documentation is in
 * {@link #configSchema()}. Design: docs/design/fulltext.md.
 *
 * <p>Found through {@link java.util.ServiceLoader}; do not call it directly.
 */
public final class FulltextIndexProvider implements IndexProvider {

    /** For {@link java.util.ServiceLoader}. */
    public FulltextIndexProvider() {
    }

    @Override
    public String name() {
        return "fulltext";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "full-text search (Lucene, BM25) and exact-value lookup over the values";
    }

    @Override
    public ConfigSchema configSchema() {
        return FulltextOptions.SCHEMA;
    }

    @Override
    public Index open(IndexContext context) throws IOException {
        FulltextOptions options = FulltextOptions.from(context.config());
        Path path = context.dataDir().resolve("lucene");
        Files.createDirectories(path);
        return FulltextIndex.open(path, options, context.storedData());
    }
}
