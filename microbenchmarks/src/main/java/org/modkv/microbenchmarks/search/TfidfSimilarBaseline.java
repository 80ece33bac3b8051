package org.modkv.microbenchmarks.search;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.queries.mlt.MoreLikeThis;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.storage.WriteBatch;
import org.modkv.bench.search.Corpus;
import org.modkv.bench.search.CorpusDocument;
import org.modkv.bench.search.SearchBenchOptions;
import org.modkv.bench.search.SimilarTexts;

/**
 * The in-process side of the similarity benchmark (scripts/similar-bench.sh): the same corpus
 * and texts as {@code modkv bench-search --similar} (same options, same seed), asked three ways,
 * one query at a time:
 * <ul>
 *   <li>{@code tfidf-pruned}: the tfidf index plugin, loaded through {@link ServiceLoader} and fed
 *       with {@code apply} as the kernel does, with its MaxScore scorer ({@code scorer=pruned};
 *       SIMILAR prunes unless the query's postings are fewer than {@code tfidf.prune.min.postings});</li>
 *   <li>{@code tfidf-exhaustive}: the same index with {@code scorer=exhaustive} (every document
 *       holding a query word scored): the exact answer, and the baseline of the pruning;</li>
 *   <li>{@code lucene-mlt}: Lucene's {@link MoreLikeThis} over a Lucene index of the same corpus
 *       (the same analysis; minimum term and document frequency 1, otherwise its defaults).</li>
 * </ul>
 * Prints {@code INDEXING target=<t> ...} and per target
 * {@code SIMILAR target=<t> corpus=<c> docs=<n> top=<k> count=<q> p50_us=<> p99_us=<> max_us=<>
 * docs_scored_per_query=<> scored_fraction=<> overlap_at_k=<>}: the mean share of the exact top k
 * (the exhaustive answer) found in the target's top k. Leaves out what is modkv's own (network,
 * request pipeline, freshness barrier): compare with the {@code SIMILAR target=modkv} line.
 *
 * <p>Run: {@code java -p microbenchmarks/target/lib:microbenchmarks/target/microbenchmarks-VERSION.jar
 * -m org.modkv.microbenchmarks/org.modkv.microbenchmarks.search.TfidfSimilarBaseline --corpus ... --similar N}.
 */
public final class TfidfSimilarBaseline {
    private static final String KEY = "key";
    private static final String TEXT = "text";
    private static final int BATCH = 1000;

    private TfidfSimilarBaseline() {
    }

    /** One way of answering a text: its top keys (best first) and how many documents it scored, -1 if unknown. */
    private interface Similar {
        Answer top(String text) throws IOException;
    }

    private record Answer(List<String> keys, long scored) {
    }

    public static void main(String[] args) throws Exception {
        SearchBenchOptions options;
        try {
            options = SearchBenchOptions.parse(Arrays.asList(args));
            if (options.similarQueries() == 0) {
                throw new IllegalArgumentException("give --similar N, the number of measured queries per target");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("TfidfSimilarBaseline: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Corpus corpus = options.openCorpus();
        List<String> texts = SimilarTexts.build(corpus, options.sample(), options.distinct(), options.similarWords(),
                options.seed());
        IndexProvider provider = ServiceLoader.load(IndexProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("tfidf")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no tfidf index plugin on the module path"));
        Path dataDir = Files.createTempDirectory("modkv-tfidf-baseline");
        Analyzer analyzer = new FoldingStandardAnalyzer();
        try (Index index = provider.open(new BaselineIndexContext(provider, Map.of(), dataDir));
             Directory lucene = new ByteBuffersDirectory()) {
            long docs = load(corpus, index, out);
            indexLucene(corpus, lucene, analyzer, out);
            try (DirectoryReader reader = DirectoryReader.open(lucene)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                int k = options.top();
                List<Set<String>> exact = new ArrayList<>();
                for (String text : texts) {
                    exact.add(new HashSet<>(tfidf(index, text, k, "exhaustive").keys()));
                }
                measure("tfidf-pruned", text -> tfidf(index, text, k, "pruned"), texts, exact, docs, corpus, options, out);
                measure("tfidf-exhaustive", text -> tfidf(index, text, k, "exhaustive"), texts, exact, docs, corpus,
                        options, out);
                measure("lucene-mlt", text -> moreLikeThis(searcher, analyzer, text, k), texts, exact, docs, corpus,
                        options, out);
            }
        } finally {
            Files.deleteIfExists(dataDir);
        }
    }

    private static long load(Corpus corpus, Index index, PrintStream out) {
        long start = System.nanoTime();
        long docs = 0;
        long sequence = 0;
        WriteBatch batch = new WriteBatch();
        for (Iterator<CorpusDocument> documents = corpus.documents(); documents.hasNext(); docs++) {
            CorpusDocument document = documents.next();
            batch.put(document.key().getBytes(StandardCharsets.UTF_8), document.text().getBytes(StandardCharsets.UTF_8));
            if (batch.size() == BATCH || !documents.hasNext()) {
                index.apply(++sequence, batch);
                batch.clear();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("INDEXING target=tfidf corpus=%s docs=%d indexed_seconds=%.2f docs_per_s=%.0f stats=%s%n",
                corpus.name(), docs, seconds, docs / seconds, index.stats().toString().replace(' ', '_'));
        return docs;
    }

    private static void indexLucene(Corpus corpus, Directory directory, Analyzer analyzer, PrintStream out)
            throws IOException {
        long start = System.nanoTime();
        long docs = 0;
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (Iterator<CorpusDocument> documents = corpus.documents(); documents.hasNext(); docs++) {
                CorpusDocument document = documents.next();
                Document doc = new Document();
                doc.add(new StoredField(KEY, document.key()));
                doc.add(new TextField(TEXT, document.text(), Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("INDEXING target=lucene-mlt corpus=%s docs=%d indexed_seconds=%.2f docs_per_s=%.0f%n",
                corpus.name(), docs, seconds, docs / seconds);
    }

    private static Answer tfidf(Index index, String text, int k, String scorer) {
        IndexResult result = index.query(new IndexQuery("similar", List.of(text),
                Map.of("top", Integer.toString(k), "scorer", scorer)));
        List<String> keys = new ArrayList<>(result.hits().size());
        for (ScoredKey hit : result.hits()) {
            keys.add(new String(hit.key(), StandardCharsets.UTF_8));
        }
        return new Answer(keys, result.totalHits());
    }

    private static Answer moreLikeThis(IndexSearcher searcher, Analyzer analyzer, String text, int k) throws IOException {
        MoreLikeThis mlt = new MoreLikeThis(searcher.getIndexReader());
        mlt.setAnalyzer(analyzer);
        mlt.setFieldNames(new String[] {TEXT});
        mlt.setMinTermFreq(1);
        mlt.setMinDocFreq(1);
        TopDocs top = searcher.search(mlt.like(TEXT, new StringReader(text)), k);
        StoredFields stored = searcher.storedFields();
        List<String> keys = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc doc : top.scoreDocs) {
            keys.add(stored.document(doc.doc).get(KEY));
        }
        return new Answer(keys, -1);
    }

    private static void measure(String target, Similar similar, List<String> texts, List<Set<String>> exact, long docs,
                                Corpus corpus, SearchBenchOptions options, PrintStream out) throws IOException {
        double overlap = 0;
        int compared = 0;
        for (int i = 0; i < texts.size(); i++) {
            if (!exact.get(i).isEmpty()) {
                List<String> keys = similar.top(texts.get(i)).keys();
                overlap += keys.stream().filter(exact.get(i)::contains).count() / (double) exact.get(i).size();
                compared++;
            }
        }
        for (int i = 0; i < options.warmupQueries(); i++) {
            similar.top(texts.get(i % texts.size()));
        }
        Histogram latency = new Histogram(3_600_000_000L, 3);
        long scored = 0;
        for (int i = 0; i < options.similarQueries(); i++) {
            long start = System.nanoTime();
            Answer answer = similar.top(texts.get(i % texts.size()));
            latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
            scored += answer.scored();
        }
        double perQuery = (double) scored / options.similarQueries();
        out.printf("SIMILAR target=%s corpus=%s docs=%d top=%d count=%d p50_us=%d p99_us=%d max_us=%d "
                        + "docs_scored_per_query=%s scored_fraction=%s overlap_at_k=%.3f%n",
                target, corpus.name(), docs, options.top(), options.similarQueries(), latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getMaxValue(),
                scored < 0 ? "-" : String.format("%.0f", perQuery),
                scored < 0 ? "-" : String.format("%.4f", perQuery / docs), compared == 0 ? 0.0 : overlap / compared);
    }
}
