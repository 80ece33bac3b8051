package org.modkv.transport.resp;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.index.Freshness;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.transport.RequestHandler;

/**
 * modkv's index commands, which Redis does not have:
 * <ul>
 *   <li>{@code SEARCH query... [LIMIT offset count] [WITHSCORES] [STALE]}: keys whose value
 *       matches the query ({@code fulltext} index), every word by default;
 *   <li>{@code SEARCHANY ...}: the same, any word;
 *   <li>{@code FINDVALUE value [LIMIT offset count] [STALE]}: keys whose value is exactly
 *       {@code value}, any bytes;
 *   <li>{@code SIMILAR text [TOP k] [MIN score] [LIMIT offset count] [STALE]}: keys whose
 *       values are most like {@code text} ({@code tfidf} index), as a flat array
 *       {@code key, score, key, score...}, best first; {@code TOP k} is {@code LIMIT 0 k}.
 * </ul>
 * SEARCH, SEARCHANY and FINDVALUE answer like RediSearch's {@code FT.SEARCH}: the total
 * number of hits (an integer), then the page of keys, best first, each followed by its score
 * (a bulk string) with {@code WITHSCORES}. The query words are decoded as UTF-8 and joined
 * with spaces into one query text; FINDVALUE's value goes to the index byte for byte (the
 * latin1 convention). Where the options start is {@link QueryOptions}'s rule. All of it is in
 * docs/design/search-commands.md. An index the node does not run is the kernel's
 * {@code NO_SUCH_INDEX} error, {@code -ERR no such index ...}.
 */
final class IndexCommands {
    static final String FULLTEXT = "fulltext";
    static final String TFIDF = "tfidf";
    /** The option that tells the index how FINDVALUE's argument holds the value's bytes. */
    static final String VALUE_ENCODING = IndexQuery.VALUE_ENCODING;
    private static final java.util.Set<String> SIMILAR_KEYWORDS = java.util.Set.of("TOP", "MIN", "LIMIT", "STALE");
    private static final String SIMILAR_OPTIONS = "TOP k, MIN score, LIMIT offset count and STALE";

    private final RequestHandler kernel;

    IndexCommands(RequestHandler kernel) {
        this.kernel = kernel;
    }

    List<CommandSpec> specs() {
        return List.of(
                CommandSpec.keyless("search", -2, List.of("readonly"), (request, session) -> search(request, "all")),
                CommandSpec.keyless("searchany", -2, List.of("readonly"), (request, session) -> search(request, "any")),
                CommandSpec.keyless("findvalue", -2, List.of("readonly"), this::findValue),
                CommandSpec.keyless("similar", -2, List.of("readonly"), this::similar));
    }

    private CompletableFuture<RespReply> search(RespRequest request, String mode) {
        QueryOptions parsed;
        try {
            parsed = QueryOptions.parse(request, QueryOptions.SEARCH_KEYWORDS, 2, true);
        } catch (QueryOptions.BadOptions e) {
            return done(e.reply());
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < parsed.queryEnd(); i++) {
            text.append(i > 1 ? " " : "").append(request.text(i));
        }
        Map<String, String> options = parsed.paging();
        options.put("mode", mode);
        boolean withScores = parsed.withScores();
        return kernel.query(FULLTEXT, new IndexQuery("search", List.of(text.toString()), options), parsed.freshness())
                .thenApply(result -> totalAndKeys(result, withScores));
    }

    private CompletableFuture<RespReply> findValue(RespRequest request, ClientSession session) {
        QueryOptions parsed;
        try {
            parsed = QueryOptions.parse(request, QueryOptions.FINDVALUE_KEYWORDS, 2, false);
        } catch (QueryOptions.BadOptions e) {
            return done(e.reply());
        }
        Map<String, String> options = parsed.paging();
        options.put(VALUE_ENCODING, "latin1");
        String value = new String(request.arg(1), StandardCharsets.ISO_8859_1);
        return kernel.query(FULLTEXT, new IndexQuery("findvalue", List.of(value), options), parsed.freshness())
                .thenApply(result -> totalAndKeys(result, false));
    }

    private CompletableFuture<RespReply> similar(RespRequest request, ClientSession session) {
        Map<String, String> options = new LinkedHashMap<>();
        Freshness freshness = Freshness.FRESH;
        int i = 2;
        while (i < request.size()) {
            String option = request.keyword(i);
            if (!SIMILAR_KEYWORDS.contains(option)) {
                return done(RespErrors.syntax("SIMILAR takes one text argument (quote it if it has spaces), then "
                        + SIMILAR_OPTIONS + "; got '" + RespErrors.printable(request.arg(i), 64) + "'"));
            }
            String name = option.equals("TOP") ? "top" : option.equals("MIN") ? "min" : option.equals("LIMIT")
                    ? IndexQuery.LIMIT : "stale";
            if (options.containsKey(name) || (name.equals("stale") && freshness == Freshness.STALE)) {
                return done(RespErrors.syntax(option + " is given twice; SIMILAR takes " + SIMILAR_OPTIONS));
            }
            if ((name.equals("top") && options.containsKey(IndexQuery.LIMIT))
                    || (name.equals(IndexQuery.LIMIT) && options.containsKey("top"))) {
                return done(RespErrors.syntax("SIMILAR takes TOP k or LIMIT offset count, not both (TOP k is LIMIT 0 k)"));
            }
            if (option.equals("STALE")) {
                freshness = Freshness.STALE;
                i++;
                continue;
            }
            int values = option.equals("LIMIT") ? 2 : 1;
            if (i + values >= request.size()) {
                return done(RespErrors.syntax(option.equals("LIMIT") ? "LIMIT needs two numbers, offset and count"
                        : option + " needs a value"));
            }
            String bad = null;
            try {
                switch (option) {
                    case "TOP" -> {
                        bad = "TOP must be a whole number from 1 to " + Integer.MAX_VALUE;
                        options.put("top", Long.toString(whole(request, i + 1, 1)));
                    }
                    case "MIN" -> {
                        bad = "MIN must be a number from 0 to 1";
                        double min = request.decimal(i + 1);
                        if (!(min >= 0 && min <= 1)) {
                            throw new NumberFormatException();
                        }
                        options.put("min", Double.toString(min));
                    }
                    default -> {
                        bad = "LIMIT offset must be a whole number from 0 to " + Integer.MAX_VALUE;
                        long offset = whole(request, i + 1, 0);
                        bad = "LIMIT count must be a whole number from 1 to " + Integer.MAX_VALUE;
                        long count = whole(request, i + 2, 1);
                        options.put(IndexQuery.OFFSET, Long.toString(offset));
                        options.put(IndexQuery.LIMIT, Long.toString(count));
                    }
                }
            } catch (NumberFormatException e) {
                int at = option.equals("LIMIT") && bad.startsWith("LIMIT count") ? i + 2 : i + 1;
                return done(RespReply.error("ERR " + bad + ", got '" + RespErrors.printable(request.arg(at), 64) + "'"));
            }
            i += 1 + values;
        }
        return kernel.query(TFIDF, new IndexQuery("similar", List.of(request.text(1)), options), freshness)
                .thenApply(IndexCommands::keysAndScores);
    }

    private static long whole(RespRequest request, int i, long min) {
        long value = request.number(i);
        if (value < min || value > Integer.MAX_VALUE) {
            throw new NumberFormatException();
        }
        return value;
    }

    /** RediSearch's reply shape: the total, then each key (and its score with WITHSCORES). */
    private static RespReply totalAndKeys(IndexResult result, boolean withScores) {
        List<ScoredKey> hits = result.hits();
        List<RespReply> items = new ArrayList<>(1 + hits.size() * (withScores ? 2 : 1));
        items.add(RespReply.integer(result.totalHits()));
        for (ScoredKey hit : hits) {
            items.add(RespReply.bulk(hit.key()));
            if (withScores) {
                items.add(RespReply.bulk(score(hit.score())));
            }
        }
        return RespReply.array(items);
    }

    private static RespReply keysAndScores(IndexResult result) {
        List<ScoredKey> hits = result.hits();
        List<RespReply> items = new ArrayList<>(hits.size() * 2);
        for (ScoredKey hit : hits) {
            items.add(RespReply.bulk(hit.key()));
            items.add(RespReply.bulk(score(hit.score())));
        }
        return RespReply.array(items);
    }

    /** A score as Redis shows doubles in bulk strings: plain decimal, no exponent, no trailing zeros. */
    static String score(double score) {
        if (!Double.isFinite(score)) {
            return score > 0 ? "inf" : score < 0 ? "-inf" : "nan";
        }
        return BigDecimal.valueOf(score).stripTrailingZeros().toPlainString();
    }

    private static CompletableFuture<RespReply> done(RespReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
