package org.modkv.transport.tcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Connection and frame counters of one running transport, reported as the {@code tcp} stats section. */
final class TcpCounters {
    final AtomicInteger openConnections = new AtomicInteger();
    final LongAdder acceptedConnections = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder errorReplies = new LongAdder();
    final LongAdder rejectedFrames = new LongAdder();
    final LongAdder readPauses = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();

    /**
     * Takes a connection slot if fewer than {@code max} are open.
     *
     * @return false, counting a refusal, when all slots are taken
     */
    boolean tryOpen(int max) {
        while (true) {
            int open = openConnections.get();
            if (open >= max) {
                refusedConnections.increment();
                return false;
            }
            if (openConnections.compareAndSet(open, open + 1)) {
                acceptedConnections.increment();
                return true;
            }
        }
    }

    void closed() {
        openConnections.decrementAndGet();
    }

    Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connections.open", openConnections.get());
        out.put("connections.accepted", acceptedConnections.sum());
        out.put("connections.refused", refusedConnections.sum());
        out.put("requests", requests.sum());
        out.put("replies.error", errorReplies.sum());
        out.put("frames.rejected", rejectedFrames.sum());
        out.put("reads.paused", readPauses.sum());
        out.put("bytes_received", bytesReceived.sum());
        out.put("bytes_sent", bytesSent.sum());
        return out;
    }
}
