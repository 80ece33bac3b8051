package org.modkv.index.tfidf;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.IndexQuery;

/**
 * A {@code similar} query, checked: the text, the page ({@code top} or {@code limit}, and
 * {@code offset}), the minimum score, and two options for checking and benchmarking the index.
 * See docs/design/tfidf.md, "Queries".
 *
 * @param text the text to compare with (several arguments are joined with spaces)
 * @param offset how many of the best hits to skip
 * @param limit how many hits to answer at most
 * @param minScore the lowest score answered, 0..1
 * @param scorer {@code scorer=auto} (the default: pruning unless the query's postings are fewer
 *     than {@code tfidf.prune.min.postings}), {@code pruned} (always MaxScore) or
 *     {@code exhaustive} (score every document holding a query term: the baseline; same answer)
 * @param exactTotal {@code total=exact}: the total is the number of matching documents (found by
 *     scoring them all) instead of the number scored
 */
record SimilarRequest(String text, int offset, int limit, double minScore, Scorer scorer, boolean exactTotal) {
    /** How a query is scored; every way gives the same answer. */
    enum Scorer { AUTO, PRUNED, EXHAUSTIVE }

    static final String OPERATION = "similar";
    static final String TOP = "top";
    static final String MIN = "min";
    static final String SCORER = "scorer";
    static final String TOTAL = "total";
    private static final Set<String> OPTIONS = Set.of(TOP, MIN, IndexQuery.OFFSET, IndexQuery.LIMIT, SCORER, TOTAL);

    int window() {
        return offset + limit;
    }

    /**
     * @throws ModkvException {@code INVALID_REQUEST} naming the option, its value and what is allowed
     */
    static SimilarRequest from(IndexQuery query, TfidfOptions config) {
        for (String option : new TreeSet<>(query.options().keySet())) {
            if (!OPTIONS.contains(option)) {
                throw invalid("similar takes no option '" + option + "'; allowed: " + String.join(", ", new TreeSet<>(OPTIONS)));
            }
        }
        if (query.arguments().isEmpty()) {
            throw invalid("similar needs the text to compare with as its argument");
        }
        Map<String, String> options = query.options();
        if (options.containsKey(TOP) && options.containsKey(IndexQuery.LIMIT)) {
            throw invalid("similar takes top or limit (the same thing: how many hits), not both");
        }
        String limitName = options.containsKey(TOP) ? TOP : IndexQuery.LIMIT;
        long limit = whole(options.get(limitName), limitName, config.defaultTop(), 1, config.maxTop(), " (tfidf.top.max)");
        long offset = whole(options.get(IndexQuery.OFFSET), IndexQuery.OFFSET, 0, 0, config.maxWindow() - 1, "");
        if (offset + limit > config.maxWindow()) {
            throw invalid("offset " + offset + " + " + limitName + " " + limit + " is more than tfidf.window.max ("
                    + config.maxWindow() + "); page no deeper than that");
        }
        double min = minScore(options.get(MIN));
        Scorer scorer = switch (options.getOrDefault(SCORER, "auto")) {
            case "auto" -> Scorer.AUTO;
            case "pruned" -> Scorer.PRUNED;
            case "exhaustive" -> Scorer.EXHAUSTIVE;
            default -> throw invalid(SCORER + " '" + options.get(SCORER) + "' is not allowed; use auto, pruned or exhaustive");
        };
        boolean exactTotal = choice(options.get(TOTAL), TOTAL, "scored", "exact");
        return new SimilarRequest(String.join(" ", query.arguments()), (int) offset, (int) limit, min, scorer,
                exactTotal);
    }

    private static long whole(String text, String name, long absent, long min, long max, String maxKey) {
        if (text == null) {
            return absent;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(name + " '" + text + "' is not a whole number; allowed " + min + ".." + max);
        }
        if (value < min || value > max) {
            throw invalid(name + " " + value + " is out of range; allowed " + min + ".." + max + (value > max ? maxKey : ""));
        }
        return value;
    }

    private static double minScore(String text) {
        if (text == null) {
            return 0;
        }
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw invalid("min '" + text + "' is not a number; allowed 0..1 (scores are cosines)");
        }
        if (!(value >= 0 && value <= 1)) {
            throw invalid("min " + text + " is out of range; allowed 0..1 (scores are cosines)");
        }
        return value;
    }

    /** False for {@code first} or absent, true for {@code second}. */
    private static boolean choice(String text, String name, String first, String second) {
        if (text == null || text.equals(first)) {
            return false;
        }
        if (text.equals(second)) {
            return true;
        }
        throw invalid(name + " '" + text + "' is not allowed; use " + first + " or " + second);
    }

    private static ModkvException invalid(String message) {
        return new ModkvException(ErrorCode.INVALID_REQUEST, message);
    }
}
