package org.modkv.index.fulltext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.IndexQuery;
import org.modkv.testkit.index.IndexContract;

/**
 * The fulltext index passes the index conformance suite (testkit's {@link IndexContract}: puts,
 * overwrites, deletes, a lent batch, restart with catch-up, resync, clear, concurrent queries,
 * paging). Queries are {@code search} in mode {@code all} or {@code any} of one to three clauses
 * over the suite's vocabulary: plain words (some upper case), prefixes, two-word phrases and
 * exclusions; {@link SearchOracle} answers them by scanning every live value.
 */
class FulltextIndexContractTest extends IndexContract {
    @Override
    protected IndexProvider provider() {
        return new FulltextIndexProvider();
    }

    @Override
    protected IndexQuery randomQuery(Random random, Map<String, byte[]> live) {
        List<String> words = vocabulary();
        int count = 1 + random.nextInt(3);
        List<String> clauses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String word = words.get(random.nextInt(words.size()));
            clauses.add(switch (random.nextInt(6)) {
                case 0 -> "\"" + word + " " + words.get(random.nextInt(words.size())) + "\"";
                case 1 -> word.substring(0, 1 + random.nextInt(2)) + "*";
                case 2 -> "-" + word;
                case 3 -> word.toUpperCase(Locale.ROOT);
                default -> word;
            });
        }
        String mode = random.nextBoolean() ? "all" : "any";
        return new IndexQuery("search", List.of(String.join(" ", clauses)), Map.of("mode", mode));
    }

    @Override
    protected Set<String> expected(IndexQuery query, Map<String, byte[]> live) {
        List<SearchOracle.Clause> clauses = new ArrayList<>();
        for (String clause : splitClauses(query.arguments().get(0))) {
            clauses.add(new SearchOracle.Clause(clause));
        }
        Map<byte[], byte[]> data = new LinkedHashMap<>();
        live.forEach((key, value) -> data.put(key.getBytes(StandardCharsets.US_ASCII), value));
        Set<String> keys = new TreeSet<>();
        for (byte[] key : SearchOracle.matches(data, clauses, "all".equals(query.options().get("mode")))) {
            keys.add(new String(key, StandardCharsets.US_ASCII));
        }
        return keys;
    }

    /** The clauses of a query text: a quoted phrase is one clause, every other word one. */
    private static List<String> splitClauses(String text) {
        List<String> clauses = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == ' ') {
                i++;
            } else if (text.charAt(i) == '"') {
                int close = text.indexOf('"', i + 1);
                clauses.add(text.substring(i, close + 1));
                i = close + 1;
            } else {
                int end = text.indexOf(' ', i);
                end = end < 0 ? text.length() : end;
                clauses.add(text.substring(i, end));
                i = end;
            }
        }
        return clauses;
    }
}
