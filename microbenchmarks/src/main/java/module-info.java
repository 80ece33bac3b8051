/**
 * JMH microbenchmarks for the hot paths: the {@code wal} engine's group commit and point reads,
 * loaded through {@link java.util.ServiceLoader} like the node loads it. Run by hand; see the
 * module's pom for the command. Also the raw Lucene baseline of the search benchmark
 * ({@code org.modkv.microbenchmarks.search.LuceneSearchBaseline}, a plain main class run by
 * scripts/search-bench.sh): the same corpus and queries as {@code modkv bench-search}, on Lucene
 * in-process, to give modkv's overhead as a ratio; and the similarity baseline
 * ({@code TfidfSimilarBaseline}, run by scripts/similar-bench.sh): the tfidf index in-process,
 * pruned and exhaustive, against Lucene's MoreLikeThis.
 */
module org.modkv.microbenchmarks {
    requires org.modkv.api;
    requires jmh.core;
    requires org.modkv.bench;
    requires org.apache.lucene.core;
    requires org.apache.lucene.analysis.common;
    requires org.apache.lucene.queryparser;
    requires org.apache.lucene.queries;

    uses org.modkv.api.storage.StorageProvider;
    uses org.modkv.api.index.IndexProvider;

    opens org.modkv.microbenchmarks.jmh_generated to jmh.core;
}
