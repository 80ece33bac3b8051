package org.modkv.index.tfidf;

import java.util.Map;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;

/**
 * The {@code tfidf.*} config keys and their parsed values. See docs/design/tfidf.md.
 *
 * @param analyzer how text is split into words: {@code standard}, {@code english} or
 *     {@code whitespace} ({@code tfidf.analyzer}, the same choices as {@code fulltext.analyzer})
 * @param fold whether words are lower-cased and accents removed ({@code tfidf.fold})
 * @param ngrams the length of the character n-grams taken from each word, 0 for none
 *     ({@code tfidf.ngrams})
 * @param ngramWeightPercent how much of the score the n-gram features make, 0..100; words make
 *     the rest ({@code tfidf.ngrams.weight.percent}); only used when {@code ngrams > 0}
 * @param defaultTop hits answered when a query names no top or limit ({@code tfidf.top.default})
 * @param maxTop the largest top (or LIMIT count) a query may ask for ({@code tfidf.top.max})
 * @param maxWindow the largest offset + count a query may ask for ({@code tfidf.window.max})
 * @param refreshPercent the IDF snapshot is recomputed once this percentage of the documents
 *     changed since the last one ({@code tfidf.idf.refresh.percent})
 * @param refreshMinChanges ... but never before this many changes ({@code tfidf.idf.refresh.min})
 * @param pruneMinPostings a query whose terms hold fewer postings than this in all is scored
 *     exhaustively, which is cheaper at that size and gives the same answer
 *     ({@code tfidf.prune.min.postings})
 */
record TfidfOptions(String analyzer, boolean fold, int ngrams, int ngramWeightPercent, int defaultTop, int maxTop,
                    int maxWindow, int refreshPercent, int refreshMinChanges, int pruneMinPostings) {

    static final ConfigKey<String> ANALYZER = ConfigKey.choice("tfidf.analyzer", "standard",
            "How values and query texts are split into words (Lucene analyzers, as fulltext.analyzer). "
                    + "'standard': Unicode word boundaries, no stop words. 'english': English possessives and stop "
                    + "words removed, then Porter stemming. 'whitespace': split at whitespace only. The index lives "
                    + "in memory and is rebuilt from storage at start-up, so a change applies at the next start.",
            "standard", "english", "whitespace");

    static final ConfigKey<Boolean> FOLD = ConfigKey.bool("tfidf.fold", true,
            "Case and accent folding: 'Café' and 'cafe' are the same word.");

    static final ConfigKey<Integer> NGRAMS = ConfigKey.integer("tfidf.ngrams", 0, 0, 8,
            "Length of the character n-grams taken from every word (with '_' marking its start and end) as "
                    + "extra features, so that near-spellings match: with 3, 'recieve' finds 'receive'. 0: words "
                    + "only. N-grams cost memory: about one posting per letter of each word.");

    static final ConfigKey<Integer> NGRAM_WEIGHT = ConfigKey.integer("tfidf.ngrams.weight.percent", 30, 0, 100,
            "With tfidf.ngrams > 0: the score is (100 - P)% the cosine of the word vectors plus P% the cosine "
                    + "of the n-gram vectors. 0: n-grams are indexed but do not count; 100: n-grams only.");

    static final ConfigKey<Integer> TOP_DEFAULT = ConfigKey.integer("tfidf.top.default", 10, 1, 1_000_000,
            "How many hits SIMILAR answers when the request names no TOP (or LIMIT).");

    static final ConfigKey<Integer> TOP_MAX = ConfigKey.integer("tfidf.top.max", 1000, 1, 1_000_000,
            "The largest TOP (or LIMIT count) a request may ask for; a larger one is refused with an error "
                    + "naming this key.");

    static final ConfigKey<Integer> WINDOW_MAX = ConfigKey.integer("tfidf.window.max", 10_000, 1, 10_000_000,
            "The largest offset + count a request may ask for: the index keeps that many best hits while it "
                    + "scores, so this bounds one query's memory and how much pruning it loses.");

    static final ConfigKey<Integer> REFRESH_PERCENT = ConfigKey.integer("tfidf.idf.refresh.percent", 5, 1, 100,
            "Scores use an IDF snapshot; it is recomputed (with every document norm) once this percentage of "
                    + "the documents was added, changed or deleted since the last snapshot. Smaller: fresher IDF, "
                    + "more recomputing (each costs one pass over all postings).");

    static final ConfigKey<Integer> REFRESH_MIN = ConfigKey.integer("tfidf.idf.refresh.min", 16, 1, 100_000_000,
            "The IDF snapshot is never recomputed before this many documents changed since the last one "
                    + "(keeps a small, busy index from recomputing on every write).");

    static final ConfigKey<Integer> PRUNE_MIN_POSTINGS = ConfigKey.integer("tfidf.prune.min.postings", 8192, 0,
            Integer.MAX_VALUE,
            "A query whose words hold fewer postings than this in all is scored exhaustively (every document "
                    + "holding one of its words) instead of with MaxScore pruning: the same answer, and cheaper "
                    + "at that size. 0: always prune.");

    static final ConfigSchema SCHEMA = ConfigSchema.of(ANALYZER, FOLD, NGRAMS, NGRAM_WEIGHT, TOP_DEFAULT, TOP_MAX,
            WINDOW_MAX, REFRESH_PERCENT, REFRESH_MIN, PRUNE_MIN_POSTINGS);

    TfidfOptions {
        if (defaultTop > maxTop) {
            throw new ConfigException("tfidf.top.default (" + defaultTop + ") is larger than tfidf.top.max ("
                    + maxTop + "); make it at most the maximum");
        }
        if (maxTop > maxWindow) {
            throw new ConfigException("tfidf.top.max (" + maxTop + ") is larger than tfidf.window.max (" + maxWindow
                    + "); make it at most the window");
        }
    }

    /** The weight of the word cosine in the score, 0..1. */
    double wordWeight() {
        return ngrams == 0 ? 1.0 : (100 - ngramWeightPercent) / 100.0;
    }

    /** The weight of the n-gram cosine in the score, 0..1. */
    double ngramWeight() {
        return ngrams == 0 ? 0.0 : ngramWeightPercent / 100.0;
    }

    /** How many document changes since the last IDF snapshot trigger a new one, for {@code docs} documents. */
    long refreshAfter(long docs) {
        return Math.max(refreshMinChanges, docs * refreshPercent / 100);
    }

    static TfidfOptions from(Config config) {
        return new TfidfOptions(config.get(ANALYZER), config.get(FOLD), config.get(NGRAMS), config.get(NGRAM_WEIGHT),
                config.get(TOP_DEFAULT), config.get(TOP_MAX), config.get(WINDOW_MAX), config.get(REFRESH_PERCENT),
                config.get(REFRESH_MIN), config.get(PRUNE_MIN_POSTINGS));
    }

    /** Options from raw key/value text, for tests. */
    static TfidfOptions of(Map<String, String> values) {
        return from(SCHEMA.bind(values));
    }
}
