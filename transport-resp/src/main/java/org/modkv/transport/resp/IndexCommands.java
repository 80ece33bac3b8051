package org.modkv.transport.resp;

import java.math.BigDecimal;
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
 *   <li>{@code SEARCH word...}: keys whose value holds every word ({@code fulltext} index);
 *   <li>{@code SEARCHANY word...}: keys whose value holds at least one of them;
 *   <li>{@code FINDVALUE value}: keys whose value is exactly {@code value};
 *   <li>{@code SIMILAR text [TOP k] [MIN score]}: keys whose values are most like {@code text}
 *       ({@code tfidf} index), as a flat array {@code key, score, key, score...}, best first.
 * </ul>
 * SEARCH, SEARCHANY and FINDVALUE answer an array of keys, best first. Query text is decoded
 * as UTF-8, the form the indexes take it in. An index the node does not run is the kernel's
 * {@code NO_SUCH_INDEX} error, {@code -ERR no such index ...}.
 */
final class IndexCommands {
    static final String FULLTEXT = "fulltext";
    static final String TFIDF = "tfidf";

    private final RequestHandler kernel;

    IndexCommands(RequestHandler kernel) {
        this.kernel = kernel;
    }

    List<CommandSpec> specs() {
        return List.of(
                CommandSpec.keyless("search", -2, List.of("readonly"), (request, session) -> search(request, "all")),
                CommandSpec.keyless("searchany", -2, List.of("readonly"), (request, session) -> search(request, "any")),
                CommandSpec.keyless("findvalue", 2, List.of("readonly"), this::findValue),
                CommandSpec.keyless("similar", -2, List.of("readonly"), this::similar));
    }

    private CompletableFuture<RespReply> search(RespRequest request, String mode) {
        List<String> words = new ArrayList<>(request.size() - 1);
        for (int i = 1; i < request.size(); i++) {
            words.add(request.text(i));
        }
        return kernel.query(FULLTEXT, new IndexQuery("search", words, Map.of("mode", mode)), Freshness.FRESH)
                .thenApply(IndexCommands::keys);
    }

    private CompletableFuture<RespReply> findValue(RespRequest request, ClientSession session) {
        return kernel.query(FULLTEXT, IndexQuery.of("findvalue", List.of(request.text(1))), Freshness.FRESH)
                .thenApply(IndexCommands::keys);
    }

    private CompletableFuture<RespReply> similar(RespRequest request, ClientSession session) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i < request.size(); i += 2) {
            String option = request.keyword(i);
            if (!option.equals("TOP") && !option.equals("MIN")) {
                return done(RespErrors.syntax("SIMILAR takes one text argument (quote it if it has spaces), then "
                        + "TOP k and MIN score; got '" + RespErrors.printable(request.arg(i), 64) + "'"));
            }
            if (i + 1 == request.size()) {
                return done(RespErrors.syntax(option + " needs a value"));
            }
            try {
                if (option.equals("TOP")) {
                    long top = request.number(i + 1);
                    if (top < 1 || top > Integer.MAX_VALUE) {
                        throw new NumberFormatException();
                    }
                    options.put("top", Long.toString(top));
                } else {
                    options.put("min", Double.toString(request.decimal(i + 1)));
                }
            } catch (NumberFormatException e) {
                return done(RespReply.error("ERR " + option + " must be "
                        + (option.equals("TOP") ? "a positive whole number" : "a number") + ", got '"
                        + RespErrors.printable(request.arg(i + 1), 64) + "'"));
            }
        }
        return kernel.query(TFIDF, new IndexQuery("similar", List.of(request.text(1)), options), Freshness.FRESH)
                .thenApply(IndexCommands::keysAndScores);
    }

    private static RespReply keys(IndexResult result) {
        List<ScoredKey> hits = result.hits();
        List<RespReply> items = new ArrayList<>(hits.size());
        for (ScoredKey hit : hits) {
            items.add(RespReply.bulk(hit.key()));
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
