package org.modkv.api.transport;

/** {@link LatencyRecorder#discard()}. */
enum DiscardingLatencyRecorder implements LatencyRecorder {
    INSTANCE;

    @Override
    public void record(RequestOperation operation, long receivedNanos, long writtenNanos, boolean failed) {
    }
}
