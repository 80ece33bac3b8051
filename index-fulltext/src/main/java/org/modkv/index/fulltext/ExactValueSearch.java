package org.modkv.index.fulltext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.StoredRecord;

/**
 * The {@code findvalue} operation: keys whose value is exactly the given bytes. Candidates come
 * from the value's SHA-256 in the index, in key order; each is checked against storage
 * ({@link StoredData#get}) before it is answered, so a hit is never a key whose value differs
 * (a hash collision, or a value changed since the index saw it). Every score is 1.0. See
 * docs/design/fulltext.md, "Exact value".
 */
final class ExactValueSearch {
    static final String OPERATION = "findvalue";
    private static final Set<String> OPTIONS = Set.of(ValueEncoding.OPTION, IndexQuery.OFFSET, IndexQuery.LIMIT);
    private static final Sort BY_KEY = new Sort(new SortField(IndexedDocument.KEY, SortField.Type.STRING));

    private final StoredData storage;
    private final FulltextOptions config;

    ExactValueSearch(StoredData storage, FulltextOptions config) {
        this.storage = storage;
        this.config = config;
    }

    /**
     * @throws ModkvException {@code INVALID_REQUEST} for a wrong number of arguments, an unknown
     *     option or a value not in its encoding
     */
    IndexResult run(IndexQuery query, IndexSearcher searcher) throws IOException {
        QueryOptions.check(query, OPTIONS);
        if (query.arguments().size() != 1) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "fulltext findvalue takes exactly one argument, the "
                    + "value; got " + query.arguments().size());
        }
        byte[] value = ValueEncoding.named(query.options().get(ValueEncoding.OPTION)).decode(query.arguments().get(0));
        Paging paging = Paging.from(query.options(), config);
        Query candidates = new HashMatchQuery(IndexedDocument.sha256(value));
        StoredFields stored = searcher.storedFields();
        int batch = Math.max(1, Math.min(paging.window(), searcher.getIndexReader().maxDoc()));
        List<ScoredKey> hits = new ArrayList<>();
        int matched = 0;
        long rejected = 0;
        FieldDoc after = null;
        long total;
        while (true) {
            TopFieldDocs page = searcher.search(candidates, new TopFieldCollectorManager(BY_KEY, batch, after,
                    Integer.MAX_VALUE));
            total = page.totalHits.value; // every candidate, also those before 'after'
            for (ScoreDoc doc : page.scoreDocs) {
                byte[] key = StoredKeys.key(stored, doc.doc);
                if (!holds(key, value)) {
                    rejected++;
                    continue;
                }
                if (matched >= paging.offset() && hits.size() < paging.limit()) {
                    hits.add(new ScoredKey(key, 1.0));
                }
                matched++;
            }
            if (hits.size() >= paging.limit() || page.scoreDocs.length < batch) {
                break;
            }
            after = (FieldDoc) page.scoreDocs[page.scoreDocs.length - 1];
        }
        return new IndexResult(hits, Math.max(hits.size(), total - rejected));
    }

    private boolean holds(byte[] key, byte[] value) throws IOException {
        Optional<StoredRecord> record = storage.get(key);
        return record.isPresent() && Arrays.equals(record.get().value(), value);
    }
}
