package org.example.prefixindex;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.IndexQuery;
import org.modkv.testkit.index.IndexContract;

/** The index TCK from testkit, with a brute-force oracle for {@code prefix TEXT}. */
class PrefixIndexContractTest extends IndexContract {
    private static final int MAX_CHARS = 12;

    @Override
    protected IndexProvider provider() {
        return new PrefixIndexProvider();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of("prefix.max.chars", String.valueOf(MAX_CHARS));
    }

    @Override
    protected IndexQuery randomQuery(Random random, Map<String, byte[]> live) {
        List<String> values = live.values().stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList();
        String source = values.isEmpty() || random.nextInt(4) == 0
                ? vocabulary().get(random.nextInt(vocabulary().size()))
                : values.get(random.nextInt(values.size()));
        int length = 1 + random.nextInt(Math.min(MAX_CHARS, source.length()));
        return IndexQuery.of("prefix", List.of(source.substring(0, length)));
    }

    @Override
    protected Set<String> expected(IndexQuery query, Map<String, byte[]> live) {
        String prefix = query.arguments().get(0);
        return live.entrySet().stream()
                .filter(e -> new String(e.getValue(), StandardCharsets.UTF_8).startsWith(prefix))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }
}
