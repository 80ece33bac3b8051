package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.modkv.client.SearchHit;
import org.modkv.client.SearchResult;

/**
 * Index answers: one key per line on stdout, best first ({@code KEY<TAB>SCORE} with scores),
 * so scripts read keys only; remarks such as the number of hits go to stderr.
 */
final class HitPrinter {
    private HitPrinter() {
    }

    /**
     * A page of a search or find-value, then on stderr {@code (no matches)}, {@code (N hits)}
     * when the page holds them all, or {@code (N hits; showing FROM-TO)} (1-based).
     */
    static void print(SearchResult result, int offset, boolean withScores, PrintWriter out, PrintWriter err) {
        printHits(result.hits(), withScores, out);
        out.flush();
        long total = result.total();
        String noun = total == 1 ? " hit" : " hits";
        if (total == 0) {
            err.println("(no matches)");
        } else if (offset == 0 && result.hits().size() == total) {
            err.println("(" + total + noun + ")");
        } else if (result.hits().isEmpty()) {
            err.println("(" + total + noun + "; none from offset " + offset + ")");
        } else {
            err.println("(" + total + noun + "; showing " + (offset + 1) + "-" + (offset + result.hits().size()) + ")");
        }
    }

    /** A list of hits without a total ({@code similar}), or {@code (no matches)}. */
    static void print(List<SearchHit> hits, boolean withScores, PrintWriter out, PrintWriter err) {
        if (hits.isEmpty()) {
            err.println("(no matches)");
            return;
        }
        printHits(hits, withScores, out);
    }

    private static void printHits(List<SearchHit> hits, boolean withScores, PrintWriter out) {
        for (SearchHit hit : hits) {
            String key = new String(hit.key(), StandardCharsets.UTF_8);
            out.println(withScores ? key + "\t" + String.format(Locale.ROOT, "%.4f", hit.score()) : key);
        }
    }
}
