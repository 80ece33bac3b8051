package org.modkv.transport.tcp;

import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;

/** What every connection of one running transport shares. All parts are thread-safe. */
record TcpServerState(TcpSettings settings, TcpCounters counters, RequestDispatcher dispatcher,
                      RequestHandler handler, String nodeId, LatencyRecorder latency) {
}
