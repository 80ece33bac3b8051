package org.modkv.node.pipeline;

/**
 * How the index pipeline runs (config keys {@code index.*}; docs/design/indexes.md).
 *
 * @param queryThreads threads of the query executor, shared by every index
 * @param queryQueue queries that may wait for a query thread; past it, {@code OVERLOADED}
 * @param freshnessTimeoutMillis how long a fresh query waits for its index to reach the read barrier
 * @param commitIntervalMillis how often each index's applier calls {@code Index.commit}
 * @param queueMaxBytes the bound of each index's queue of committed batches, in encoded bytes
 */
public record IndexPipelineSettings(int queryThreads, int queryQueue, long freshnessTimeoutMillis,
                                    long commitIntervalMillis, long queueMaxBytes) {
    public IndexPipelineSettings {
        if (queryThreads < 1 || queryQueue < 1 || freshnessTimeoutMillis < 1 || commitIntervalMillis < 1
                || queueMaxBytes < 1) {
            throw new IllegalArgumentException("index pipeline settings must be positive: " + queryThreads + ", "
                    + queryQueue + ", " + freshnessTimeoutMillis + ", " + commitIntervalMillis + ", " + queueMaxBytes);
        }
    }

    /** The defaults of the config keys. */
    public static IndexPipelineSettings defaults() {
        return new IndexPipelineSettings(2, 1024, 5_000, 1_000, 64L << 20);
    }
}
