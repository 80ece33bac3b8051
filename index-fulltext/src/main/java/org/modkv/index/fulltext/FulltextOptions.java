package org.modkv.index.fulltext;

import java.util.Map;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;

/**
 * The {@code fulltext.*} config keys and their parsed values.
 *
 * @param analyzer how text is split into words: {@code standard}, {@code english} or
 *     {@code whitespace} ({@code fulltext.analyzer})
 * @param fold whether words are lower-cased and accents removed ({@code fulltext.fold})
 * @param defaultLimit hits answered when a query names no limit ({@code fulltext.limit.default})
 * @param maxLimit the largest limit a query may ask for ({@code fulltext.limit.max})
 * @param maxWindow the largest offset + limit a query may ask for ({@code fulltext.window.max})
 * @param ramBufferMb memory Lucene buffers documents in before it writes a segment
 *     ({@code fulltext.ram.buffer.mb})
 */
record FulltextOptions(String analyzer, boolean fold, int defaultLimit, int maxLimit, int maxWindow, int ramBufferMb) {

    static final ConfigKey<String> ANALYZER = ConfigKey.choice("fulltext.analyzer", "standard",
            "How values are split into words, for indexing and for queries alike. 'standard': Unicode word "
                    + "boundaries (UAX#29), no stop words. 'english': the same words, English possessives and stop "
                    + "words removed, then Porter stemming (so 'indexing' finds 'indexed'). 'whitespace': split at "
                    + "whitespace only, punctuation stays part of the word. The index remembers the analyzer "
                    + "it was built with and rebuilds itself from storage at start-up when it changes.",
            "standard", "english", "whitespace");

    static final ConfigKey<Boolean> FOLD = ConfigKey.bool("fulltext.fold", true,
            "Case and accent folding: 'Café' and 'cafe' are the same word. Changing it rebuilds the index at "
                    + "start-up, like fulltext.analyzer.");

    static final ConfigKey<Integer> LIMIT_DEFAULT = ConfigKey.integer("fulltext.limit.default", 10, 1, 1_000_000,
            "How many hits a search or find-value answers when the request names no limit.");

    static final ConfigKey<Integer> LIMIT_MAX = ConfigKey.integer("fulltext.limit.max", 1000, 1, 1_000_000,
            "The largest limit a request may ask for; a larger one is refused with an error naming it.");

    static final ConfigKey<Integer> WINDOW_MAX = ConfigKey.integer("fulltext.window.max", 100_000, 1, 100_000_000,
            "The largest offset + limit a request may ask for (how deep a client may page): the index ranks "
                    + "every hit up to offset + limit, so this bounds the memory and time of one query.");

    static final ConfigKey<Integer> RAM_BUFFER_MB = ConfigKey.integer("fulltext.ram.buffer.mb", 64, 1, 4096,
            "Memory Lucene buffers new documents in before it writes them out as a segment.");

    static final ConfigSchema SCHEMA = ConfigSchema.of(ANALYZER, FOLD, LIMIT_DEFAULT, LIMIT_MAX, WINDOW_MAX,
            RAM_BUFFER_MB);

    FulltextOptions {
        if (defaultLimit > maxLimit) {
            throw new ConfigException("fulltext.limit.default (" + defaultLimit
                    + ") is larger than fulltext.limit.max (" + maxLimit + "); make it at most the maximum");
        }
        if (maxLimit > maxWindow) {
            throw new ConfigException("fulltext.limit.max (" + maxLimit
                    + ") is larger than fulltext.window.max (" + maxWindow + "); make it at most the window");
        }
    }

    /** What the analysis depends on, kept with each commit so a change is noticed at start-up. */
    String analysisSignature() {
        // hashbucket: the document layout of IndexedDocument (values found by hash bucket); an
        // index written with another layout is rebuilt like one with other analysis settings.
        return analyzer + (fold ? ",fold" : ",nofold") + ",hashbucket";
    }

    static FulltextOptions from(Config config) {
        return new FulltextOptions(config.get(ANALYZER), config.get(FOLD), config.get(LIMIT_DEFAULT),
                config.get(LIMIT_MAX), config.get(WINDOW_MAX), config.get(RAM_BUFFER_MB));
    }

    /** Options from raw key/value text, for tests. */
    static FulltextOptions of(Map<String, String> values) {
        return from(SCHEMA.bind(values));
    }
}
