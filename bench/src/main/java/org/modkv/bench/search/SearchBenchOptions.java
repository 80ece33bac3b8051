package org.modkv.bench.search;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of the search benchmark, shared by {@code modkv bench-search} and the in-process
 * baselines (org.modkv.microbenchmarks.search.LuceneSearchBaseline, TfidfSimilarBaseline) so
 * that they build the same corpus and the same queries from the same command-line words. {@link #USAGE} lists them.
 */
public record SearchBenchOptions(
        String corpus, Path debianFile, long docs, int vocabulary, double exponent, double meanWords, long seed,
        String connect, String resp, String index, boolean load, int batch, int inFlight,
        int queries, int distinct, int warmupQueries, int sample, boolean stale,
        double lagRate, int lagSeconds, int lagWarmupSeconds, Path workDir, int similarQueries, int similarWords, int top) {

    public static final String USAGE =
            "Corpus:\n" +
            "  --corpus debian|zipf       required\n" +
            "  --debian-file FILE         the output of 'apt-cache dumpavail' (corpus debian)\n" +
            "  --docs N                   zipf documents; default 100000\n" +
            "  --vocabulary N             zipf distinct words; default 100000\n" +
            "  --exponent S               zipf exponent; default 1.0\n" +
            "  --mean-words N             zipf mean document length in words (log-normal); default 30\n" +
            "  --seed N                   corpus and query seed; default 1\n" +
            "Node (modkv bench-search only):\n" +
            "  --connect HOST:PORT        the node's tcp address (load, stats, lag writes); default 127.0.0.1:7379\n" +
            "  --resp HOST:PORT           the node's RESP address (queries); default 127.0.0.1:6380\n" +
            "  --index NAME               the index whose stats to read; default fulltext\n" +
            "  --load                     write the corpus first and time indexing\n" +
            "  --batch N                  documents per bulk write; default 500\n" +
            "  --in-flight N              bulk writes outstanding at once; default 4\n" +
            "  --stale                    query with STALE (default: fresh reads)\n" +
            "  --lag-rate OPS             afterwards, write at this rate (open loop) and report index lag; default 0 (off)\n" +
            "  --lag-seconds S            how long the lag load runs; default 10\n" +
            "  --lag-warmup S             the same load first, not measured (JIT, first segments); default 10\n" +
            "Queries (per group: and/or x 1-3 words x frequent/mid, phrase x 1-3 words):\n" +
            "  --queries N                measured queries per group; default 1000 (0: no query phase)\n" +
            "  --distinct N               distinct queries per group, cycled; default 200\n" +
            "  --warmup-queries N         unrecorded queries per group first; default 200\n" +
            "  --sample N                 documents the vocabulary is counted over; default 50000\n" +
            "Similarity (the tfidf index; node started with indexes=fulltext,tfidf):\n" +
            "  --similar N                measured SIMILAR queries; default 0 (no similarity step)\n" +
            "  --similar-words N          words per SIMILAR text (a document's first ones); default 12\n" +
            "  --top K                    hits per SIMILAR query; default 10\n" +
            "  (the texts: --distinct documents drawn from the first --sample; --warmup-queries first)\n" +
            "Baseline only:\n" +
            "  --work-dir DIR             where the Lucene index is written; default a new temporary directory";

    private static final Set<String> FLAGS = Set.of("--load", "--stale");

    /**
     * @throws IllegalArgumentException for an unknown option, a missing or bad value, naming it and what is allowed
     */
    public static SearchBenchOptions parse(List<String> args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (FLAGS.contains(name)) {
                given.put(name, "true");
            } else if (USAGE.contains("  " + name + " ") && name.startsWith("--")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                given.put(name, args.get(++i));
            } else {
                throw new IllegalArgumentException("unknown option '" + name + "'; the options are:\n" + USAGE);
            }
        }
        String corpus = given.get("--corpus");
        if (corpus == null || !(corpus.equals("debian") || corpus.equals("zipf"))) {
            throw new IllegalArgumentException("--corpus " + (corpus == null ? "is missing" : "'" + corpus + "' is not allowed")
                    + "; use debian or zipf");
        }
        Path debianFile = given.containsKey("--debian-file") ? Path.of(given.get("--debian-file")) : null;
        if (corpus.equals("debian") && debianFile == null) {
            throw new IllegalArgumentException("--corpus debian needs --debian-file FILE (write it with: apt-cache dumpavail > FILE)");
        }
        SearchBenchOptions options = new SearchBenchOptions(corpus, debianFile,
                number(given, "--docs", 100_000, 1), (int) number(given, "--vocabulary", 100_000, 1),
                decimal(given, "--exponent", 1.0), decimal(given, "--mean-words", 30), number(given, "--seed", 1, Long.MIN_VALUE),
                given.getOrDefault("--connect", "127.0.0.1:7379"), given.getOrDefault("--resp", "127.0.0.1:6380"),
                given.getOrDefault("--index", "fulltext"), given.containsKey("--load"),
                (int) number(given, "--batch", 500, 1), (int) number(given, "--in-flight", 4, 1),
                (int) number(given, "--queries", 1000, 0), (int) number(given, "--distinct", 200, 1),
                (int) number(given, "--warmup-queries", 200, 0), (int) number(given, "--sample", 50_000, 1),
                given.containsKey("--stale"), decimal(given, "--lag-rate", 0), (int) number(given, "--lag-seconds", 10, 1),
                (int) number(given, "--lag-warmup", 10, 0),
                given.containsKey("--work-dir") ? Path.of(given.get("--work-dir")) : null,
                (int) number(given, "--similar", 0, 0), (int) number(given, "--similar-words", 12, 1),
                (int) number(given, "--top", 10, 1));
        if (options.lagRate < 0) {
            throw new IllegalArgumentException("--lag-rate " + options.lagRate + " is not allowed; use 0 (off) or more");
        }
        options.openCorpus(); // checks the corpus options early
        return options;
    }

    /** The corpus these options describe. */
    public Corpus openCorpus() {
        return corpus.equals("debian") ? DebianDescriptions.read(debianFile)
                : new ZipfCorpus(docs, vocabulary, exponent, meanWords, seed);
    }

    private static long number(Map<String, String> given, String name, long fallback, long min) {
        String text = given.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.replace("_", ""));
            if (value < min || value > Integer.MAX_VALUE && !name.equals("--docs") && !name.equals("--seed")) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is not allowed; use a whole number"
                    + (min == Long.MIN_VALUE ? "" : " of " + min + " or more"));
        }
    }

    private static double decimal(Map<String, String> given, String name, double fallback) {
        String text = given.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is not allowed; use a number");
        }
    }
}
