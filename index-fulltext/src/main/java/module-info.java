/**
 * The {@code fulltext} index plugin: full-text search (BM25, Lucene's simple query syntax) and
 * exact-value lookup over the node's values, kept in a Lucene index under the plugin's data
 * directory. Nothing is exported; the kernel finds the provider through {@code provides}. See
 * docs/design/fulltext.md.
 */
module org.modkv.index.fulltext {
    requires org.modkv.api;
    requires org.apache.lucene.core;
    requires org.apache.lucene.analysis.common;
    requires org.apache.lucene.queryparser;

    provides org.modkv.api.index.IndexProvider with org.modkv.index.fulltext.FulltextIndexProvider;
}
