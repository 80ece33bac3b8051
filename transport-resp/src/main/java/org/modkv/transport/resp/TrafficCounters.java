package org.modkv.transport.resp;

import java.util.concurrent.atomic.LongAdder;

/** Bytes and requests through every RESP connection together, for the transport's stats. Thread-safe. */
final class TrafficCounters {
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder requests = new LongAdder();
}
