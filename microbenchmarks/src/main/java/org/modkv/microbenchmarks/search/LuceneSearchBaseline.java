package org.modkv.microbenchmarks.search;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.modkv.bench.search.BenchQuery;
import org.modkv.bench.search.Corpus;
import org.modkv.bench.search.CorpusDocument;
import org.modkv.bench.search.QueryPhase;
import org.modkv.bench.search.QuerySet;
import org.modkv.bench.search.SearchBenchOptions;

/**
 * The limit for {@code modkv bench-search}: the same corpus and the same queries (same options,
 * same seed) on raw Lucene in-process, one query at a time, so that a report can give modkv's
 * overhead as a ratio. It mirrors what the fulltext index does by default
 * (docs/design/fulltext.md): the standard tokenizer, lower-casing and ASCII folding; a text
 * field, a stored key with sorted doc values; Lucene's SimpleQueryParser with MUST (AND,
 * phrase) or SHOULD (OR); the first 10 hits by score then key, with an exact total count. It
 * leaves out what is modkv's own: the network, the request pipeline, the freshness barrier.
 *
 * <p>Run: {@code java -p microbenchmarks/target/lib:microbenchmarks/target/microbenchmarks-VERSION.jar
 * -m org.modkv.microbenchmarks/org.modkv.microbenchmarks.search.LuceneSearchBaseline --corpus ...}
 * (the options of {@code modkv bench-search}; node options are ignored). Prints
 * {@code INDEXING target=lucene ...} and {@code QUERY target=lucene ...} lines.
 */
public final class LuceneSearchBaseline {
    private static final String KEY = "key";
    private static final String TEXT = "text";
    private static final String KIND = "kind";
    private static final Sort BY_SCORE_THEN_KEY = new Sort(SortField.FIELD_SCORE, new SortField(KEY, SortField.Type.STRING));
    private static final int PAGE = 10;

    private LuceneSearchBaseline() {
    }

    public static void main(String[] args) throws Exception {
        SearchBenchOptions options;
        try {
            options = SearchBenchOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("LuceneSearchBaseline: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Corpus corpus = options.openCorpus();
        boolean temporary = options.workDir() == null;
        Path dir = temporary ? Files.createTempDirectory("modkv-lucene-baseline") : options.workDir();
        Analyzer analyzer = new FoldingStandardAnalyzer();
        try (Directory directory = FSDirectory.open(dir)) {
            long start = System.nanoTime();
            long docs = index(corpus, directory, analyzer);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("INDEXING target=lucene corpus=%s docs=%d indexed_seconds=%.2f docs_per_s=%.0f%n",
                    corpus.name(), docs, seconds, docs / seconds);
            if (options.queries() > 0) {
                try (DirectoryReader reader = DirectoryReader.open(directory)) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    QuerySet queries = QuerySet.build(corpus, options.sample(), options.distinct(), options.seed());
                    QueryPhase.run("lucene", corpus, queries, options, query -> search(searcher, analyzer, query), out);
                }
            }
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    private static long index(Corpus corpus, Directory directory, Analyzer analyzer) throws IOException {
        long docs = 0;
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (Iterator<CorpusDocument> documents = corpus.documents(); documents.hasNext(); docs++) {
                CorpusDocument document = documents.next();
                byte[] key = document.key().getBytes(StandardCharsets.UTF_8);
                Document doc = new Document();
                doc.add(new StoredField(KEY, key));
                doc.add(new StringField(KEY, new BytesRef(key), Field.Store.NO));
                doc.add(new SortedDocValuesField(KEY, new BytesRef(key)));
                doc.add(new StringField(KIND, "text", Field.Store.NO));
                doc.add(new TextField(TEXT, document.text(), Field.Store.NO));
                writer.updateDocument(new org.apache.lucene.index.Term(KEY, new BytesRef(key)), doc);
            }
            writer.commit();
        }
        return docs;
    }

    private static long search(IndexSearcher searcher, Analyzer analyzer, BenchQuery query) throws IOException {
        SimpleQueryParser parser = new SimpleQueryParser(analyzer, TEXT);
        parser.setDefaultOperator(query.all() ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD);
        Query parsed = parser.parse(query.text());
        // As modkv does: exact hit counting up to the page (so Lucene may skip what cannot enter
        // it), then a count that scores nothing for the exact total.
        TopFieldDocs top = searcher.search(parsed, new TopFieldCollectorManager(BY_SCORE_THEN_KEY, PAGE, null, PAGE));
        long total = top.totalHits.relation == TotalHits.Relation.EQUAL_TO ? top.totalHits.value : searcher.count(parsed);
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc doc : top.scoreDocs) { // fetch the keys, as modkv does to answer
            stored.document(doc.doc).getBinaryValue(KEY);
        }
        return total;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
