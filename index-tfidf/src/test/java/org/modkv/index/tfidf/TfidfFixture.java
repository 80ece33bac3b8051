package org.modkv.index.tfidf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.storage.WriteBatch;
import org.modkv.testkit.TestPluginContext;
import org.modkv.testkit.index.MapStoredData;
import org.modkv.testkit.index.TestIndexContext;

/** A tfidf index opened through its provider as the kernel does, fed through a {@link MapStoredData}. */
final class TfidfFixture implements AutoCloseable {
    final MapStoredData data = new MapStoredData();
    final Index index;
    private final TestPluginContext context;
    private long sequence;

    TfidfFixture(Path dataDir, Map<String, String> config) {
        TfidfIndexProvider provider = new TfidfIndexProvider();
        context = TestPluginContext.builder().schema(provider.configSchema()).config(config).dataDir(dataDir).build();
        index = provider.open(new TestIndexContext(context, data));
    }

    /** Applies {@code batch} to storage and to the index at the next sequence. */
    void write(WriteBatch batch) {
        sequence++;
        data.apply(sequence, batch);
        index.apply(sequence, batch);
    }

    void put(String key, String value) {
        write(new WriteBatch().put(bytes(key), bytes(value)));
    }

    void delete(String key) {
        write(new WriteBatch().delete(bytes(key)));
    }

    IndexResult similar(String text, Map<String, String> options) {
        return index.query(new IndexQuery("similar", List.of(text), options));
    }

    IndexResult similar(String text) {
        return similar(text, Map.of());
    }

    /** Keys to scores, best first, as text. */
    static Map<String, Double> scores(IndexResult result) {
        Map<String, Double> out = new LinkedHashMap<>();
        result.hits().forEach(hit -> out.put(new String(hit.key(), StandardCharsets.UTF_8), hit.score()));
        return out;
    }

    long sequence() {
        return sequence;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        index.close();
        context.close();
    }
}
