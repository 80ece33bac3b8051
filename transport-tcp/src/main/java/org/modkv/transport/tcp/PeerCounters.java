package org.modkv.transport.tcp;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the peer network, reported in the {@code tcp} stats section (only when
 * {@code tcp.peers} is set, so a standalone node's stats are unchanged).
 */
final class PeerCounters {
    final AtomicInteger outboundOpen = new AtomicInteger();
    final AtomicInteger inboundOpen = new AtomicInteger();
    final LongAdder framesSent = new LongAdder();
    final LongAdder framesReceived = new LongAdder();
    final LongAdder framesRejected = new LongAdder();
    final LongAdder requestsTimedOut = new LongAdder();
    final LongAdder requestsFailed = new LongAdder();
    final LongAdder sendsDropped = new LongAdder();
    final LongAdder connectFailures = new LongAdder();

    /** Adds the figures to {@code out}, under names that stay the same from release to release. */
    void addTo(Map<String, Object> out, int peers) {
        out.put("peers", peers);
        out.put("peer.connections.outbound", outboundOpen.get());
        out.put("peer.connections.inbound", inboundOpen.get());
        out.put("peer.frames.sent", framesSent.sum());
        out.put("peer.frames.received", framesReceived.sum());
        out.put("peer.frames.rejected", framesRejected.sum());
        out.put("peer.requests.timed_out", requestsTimedOut.sum());
        out.put("peer.requests.failed", requestsFailed.sum());
        out.put("peer.sends.dropped", sendsDropped.sum());
        out.put("peer.connects.failed", connectFailures.sum());
    }
}
