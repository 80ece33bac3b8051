package org.modkv.bench.search;

/** Where the query phase sends its queries: a modkv node over RESP, or raw Lucene in-process. */
public interface QueryTarget {
    /**
     * Runs {@code query} (the first page, 10 hits) and returns its total number of hits.
     *
     * @throws Exception when the query fails; the phase stops and reports it
     */
    long search(BenchQuery query) throws Exception;
}
