package org.modkv.transport.tcp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestOperation;

/** A {@link LatencyRecorder} that keeps every record, for assertions. */
final class RecordedLatencies implements LatencyRecorder {
    /** One {@link #record} call. */
    record Served(RequestOperation operation, long nanos, boolean failed) {
    }

    final List<Served> served = new CopyOnWriteArrayList<>();

    @Override
    public void record(RequestOperation operation, long receivedNanos, long writtenNanos, boolean failed) {
        served.add(new Served(operation, writtenNanos - receivedNanos, failed));
    }

    List<Served> of(RequestOperation operation) {
        return served.stream().filter(s -> s.operation() == operation).toList();
    }
}
