/**
 * The {@code tfidf} index plugin: "which stored values read most like this text", as exact
 * top-k cosine similarity of sparse TF-IDF vectors (words from Lucene's analyzers, optional
 * character n-grams), answered from an in-memory inverted index with MaxScore pruning. Nothing
 * is exported; the kernel finds the provider through {@code provides}. See docs/design/tfidf.md.
 */
module org.modkv.index.tfidf {
    requires org.modkv.api;
    requires org.apache.lucene.core;
    requires org.apache.lucene.analysis.common;

    provides org.modkv.api.index.IndexProvider with org.modkv.index.tfidf.TfidfIndexProvider;
}
