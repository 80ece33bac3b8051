package org.modkv.index.fulltext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A brute-force answer to the queries the randomized test makes, over a vocabulary of plain
 * words separated by single spaces: which keys match, by scanning every value. Mirrors the
 * semantics of Lucene's simple query syntax: clauses joined by AND (mode all) or OR (mode any);
 * a clause is a word, a "two word" phrase, a prefix* or a -negated word (every text value without
 * that word); values that are not UTF-8 never match.
 */
final class SearchOracle {
    private SearchOracle() {
    }

    /** One clause of a query, as the parser sees it. */
    record Clause(String text) {
        boolean matches(List<String> words) {
            if (text.startsWith("-")) {
                return !words.contains(text.substring(1).toLowerCase(Locale.ROOT));
            }
            if (text.endsWith("*")) {
                String prefix = text.substring(0, text.length() - 1).toLowerCase(Locale.ROOT);
                return words.stream().anyMatch(w -> w.startsWith(prefix));
            }
            if (text.startsWith("\"")) {
                String[] phrase = text.substring(1, text.length() - 1).toLowerCase(Locale.ROOT).split(" ");
                for (int i = 0; i + phrase.length <= words.size(); i++) {
                    if (words.subList(i, i + phrase.length).equals(Arrays.asList(phrase))) {
                        return true;
                    }
                }
                return false;
            }
            return words.contains(text.toLowerCase(Locale.ROOT));
        }
    }

    /** The keys matching {@code clauses}, in unsigned key order. */
    static List<byte[]> matches(Map<byte[], byte[]> data, List<Clause> clauses, boolean all) {
        List<byte[]> keys = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> entry : data.entrySet()) {
            String text = IndexedDocument.utf8OrNull(entry.getValue());
            if (text == null) {
                continue;
            }
            List<String> words = text.isEmpty() ? List.of()
                    : Arrays.asList(text.toLowerCase(Locale.ROOT).split(" "));
            boolean match = all;
            for (Clause clause : clauses) {
                match = all ? match && clause.matches(words) : match || clause.matches(words);
            }
            if (match) {
                keys.add(entry.getKey());
            }
        }
        return keys;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
