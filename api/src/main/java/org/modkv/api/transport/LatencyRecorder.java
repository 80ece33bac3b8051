package org.modkv.api.transport;

/**
 * Where a transport reports each request it served, so that the node's latency histograms
 * measure what a client sees: from the moment the transport received the request to the
 * moment its response was written to the connection. The node aggregates every transport's
 * reports per {@link RequestOperation} and serves them through {@code stats} and the
 * Prometheus endpoint.
 *
 * <p><b>Threading and cost.</b> Implementations are thread-safe, never block and allocate
 * nothing, so a transport may call {@link #record} on its I/O threads for every request.
 */
public interface LatencyRecorder {
    /**
     * Records one served request.
     *
     * @param operation    what the request was
     * @param receivedNanos {@link System#nanoTime()} when the request arrived
     * @param writtenNanos  {@link System#nanoTime()} when its response was written
     * @param failed       whether the response was an error
     */
    void record(RequestOperation operation, long receivedNanos, long writtenNanos, boolean failed);

    /** A recorder that drops everything; for transports run outside a node (tests, tools). */
    static LatencyRecorder discard() {
        return DiscardingLatencyRecorder.INSTANCE;
    }
}
