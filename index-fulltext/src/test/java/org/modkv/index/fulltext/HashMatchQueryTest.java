package org.modkv.index.fulltext;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** The exact-value query matches the whole hash, not its bucket, across segments and deletes. */
class HashMatchQueryTest {
    @Test
    void matchesOnlyDocumentsHoldingTheWholeHashNotTheirBucketMates() throws Exception {
        Map<String, List<String>> buckets = new HashMap<>();
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()))) {
            for (int i = 0; i < 2_000; i++) {
                String value = "value " + i;
                writer.addDocument(IndexedDocument.of(("k" + i).getBytes(UTF_8), value.getBytes(UTF_8)));
                if (i % 500 == 499) {
                    writer.commit(); // several segments
                }
                buckets.computeIfAbsent(bucketOf(value), b -> new ArrayList<>()).add(value);
            }
            writer.addDocument(IndexedDocument.of("again".getBytes(UTF_8), "value 7".getBytes(UTF_8)));
            writer.deleteDocuments(IndexedDocument.identity("k8".getBytes(UTF_8)));
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                List<String> shared = buckets.values().stream().filter(v -> v.size() > 1).findFirst().orElseThrow();
                for (String value : shared) {
                    HashMatchQuery query = new HashMatchQuery(IndexedDocument.sha256(value.getBytes(UTF_8)));
                    assertEquals(1, searcher.count(query), value);
                    assertTrue(searcher.count(new TermQuery(query.bucketTerm())) >= shared.size(), "bucket of " + value);
                }
                assertEquals(2, searcher.count(new HashMatchQuery(IndexedDocument.sha256("value 7".getBytes(UTF_8)))));
                assertEquals(0, searcher.count(new HashMatchQuery(IndexedDocument.sha256("value 8".getBytes(UTF_8)))));
                assertEquals(0, searcher.count(new HashMatchQuery(IndexedDocument.sha256("nothing".getBytes(UTF_8)))));
            }
        }
    }

    private static String bucketOf(String value) {
        return IndexedDocument.hashBucket(IndexedDocument.sha256(value.getBytes(UTF_8))).bytes().toString();
    }
}
