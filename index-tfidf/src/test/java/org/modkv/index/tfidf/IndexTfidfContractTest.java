package org.modkv.index.tfidf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.IndexQuery;
import org.modkv.testkit.index.IndexContract;

/**
 * The tfidf index passes the index conformance suite (testkit's {@link IndexContract}: puts,
 * overwrites, deletes, a lent batch, restart with catch-up, resync, clear, concurrent queries,
 * paging). Queries are {@code similar} of one to three words of the suite's vocabulary (some
 * repeated, some unknown), with {@code total=exact} so that the total is the number of matching
 * documents the suite checks; the oracle: every live value holding at least one of the words
 * has a positive cosine, every other value none. Scores and their order are checked against the
 * exhaustive scorer in {@link PrunedEqualsExhaustiveTest}.
 */
class IndexTfidfContractTest extends IndexContract {
    @Override
    protected IndexProvider provider() {
        return new TfidfIndexProvider();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of("tfidf.top.max", "1000", "tfidf.idf.refresh.min", "16", "tfidf.prune.min.postings", "0");
    }

    @Override
    protected IndexQuery randomQuery(Random random, Map<String, byte[]> live) {
        List<String> words = new ArrayList<>(vocabulary());
        words.add("zulu"); // in no value
        int count = 1 + random.nextInt(3);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picked.add(words.get(random.nextInt(words.size())));
        }
        return new IndexQuery("similar", List.of(String.join(" ", picked)), Map.of("total", "exact"));
    }

    @Override
    protected Set<String> expected(IndexQuery query, Map<String, byte[]> live) {
        Set<String> words = new TreeSet<>(List.of(query.arguments().get(0).split(" ")));
        Set<String> keys = new TreeSet<>();
        live.forEach((key, value) -> {
            if (Arrays.stream(new String(value, StandardCharsets.UTF_8).split(" ")).anyMatch(words::contains)) {
                keys.add(key);
            }
        });
        return keys;
    }
}
