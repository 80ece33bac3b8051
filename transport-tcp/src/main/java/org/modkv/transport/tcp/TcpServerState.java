package org.modkv.transport.tcp;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.modkv.api.transport.EndOfBurstNotice;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestHandler;

/**
 * What every connection of one running transport shares. All parts are thread-safe.
 *
 * @param loopFsyncs the io_uring fsync of each event loop that has one ({@code tcp.io.async.fsync})
 */
record TcpServerState(TcpSettings settings, TcpCounters counters, RequestDispatcher dispatcher,
                      RequestHandler handler, String nodeId, LatencyRecorder latency,
                      Map<EventLoop, EventLoopFsync> loopFsyncs, Map<EventLoop, EndOfBurstNotice> burstEnds) {

    TcpServerState(TcpSettings settings, TcpCounters counters, RequestDispatcher dispatcher, RequestHandler handler,
                   String nodeId, LatencyRecorder latency, Map<EventLoop, EventLoopFsync> loopFsyncs) {
        this(settings, counters, dispatcher, handler, nodeId, latency, loopFsyncs, new ConcurrentHashMap<>());
    }

    /** The pass-end notice of {@code loop}'s connections, carrying the loop's fsync if it has one. */
    EndOfBurstNotice burstEnd(EventLoop loop) {
        return burstEnds.computeIfAbsent(loop, l -> new EndOfBurstNotice(
                l instanceof SingleThreadEventLoop singleThread ? singleThread::executeAfterEventLoopIteration : l::execute,
                handler, loopFsyncs.getOrDefault(l, EventLoopFsync.NONE)));
    }
}
