package org.modkv.transport.tcp;

import io.netty.channel.EventLoop;
import org.modkv.api.transport.EndOfBurstNotice;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;
import org.modkv.netty.BurstEndNotices;

/** What every connection of one running transport shares. All parts are thread-safe. */
record TcpServerState(TcpSettings settings, TcpCounters counters, RequestDispatcher dispatcher,
                      RequestHandler handler, String nodeId, LatencyRecorder latency, BurstEndNotices burstEnds) {

    /** The pass-end notice of {@code loop}'s connections. */
    EndOfBurstNotice burstEnd(EventLoop loop) {
        return burstEnds.forLoop(loop);
    }
}
