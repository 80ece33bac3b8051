package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.modkv.client.SearchHit;

/** Index answers as lines of {@code KEY<TAB>SCORE}, best first, or a remark when there are none. */
final class HitPrinter {
    private HitPrinter() {
    }

    static void print(List<SearchHit> hits, boolean withScores, PrintWriter out, PrintWriter err) {
        if (hits.isEmpty()) {
            err.println("(no matches)");
            return;
        }
        for (SearchHit hit : hits) {
            String key = new String(hit.key(), StandardCharsets.UTF_8);
            out.println(withScores ? key + "\t" + String.format(Locale.ROOT, "%.4f", hit.score()) : key);
        }
    }
}
