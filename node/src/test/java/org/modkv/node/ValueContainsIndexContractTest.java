package org.modkv.node;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.IndexQuery;
import org.modkv.testkit.index.IndexContract;

/** The node's test index passes the index TCK, which also tests the TCK itself. */
class ValueContainsIndexContractTest extends IndexContract {
    @Override
    protected IndexProvider provider() {
        return new ValueContainsIndexProvider();
    }

    @Override
    protected IndexQuery randomQuery(Random random, Map<String, byte[]> live) {
        String word = vocabulary().get(random.nextInt(vocabulary().size()));
        String needle = random.nextBoolean() ? word : word.substring(0, 1 + random.nextInt(word.length()));
        return IndexQuery.of("contains", List.of(needle));
    }

    @Override
    protected Set<String> expected(IndexQuery query, Map<String, byte[]> live) {
        Set<String> keys = new TreeSet<>();
        String needle = query.arguments().get(0);
        live.forEach((key, value) -> {
            if (new String(value, StandardCharsets.UTF_8).contains(needle)) {
                keys.add(key);
            }
        });
        return keys;
    }
}
