package org.modkv.testkit.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.modkv.api.transport.LatencyRecorder;
import org.modkv.api.transport.RequestOperation;

/**
 * A {@link LatencyRecorder} that keeps every record, so a transport's tests can check what it
 * reports: one record per served request, under the right operation, errors marked. Give it
 * to the transport from a test {@link org.modkv.api.transport.TransportContext#latency()}.
 * Thread-safe.
 */
public final class RecordedLatencies implements LatencyRecorder {
    /**
     * One {@link #record} call.
     *
     * @param operation what the request was
     * @param nanos     response written minus request received
     * @param failed    whether the response was an error
     */
    public record Served(RequestOperation operation, long nanos, boolean failed) {
    }

    private final List<Served> served = new CopyOnWriteArrayList<>();

    @Override
    public void record(RequestOperation operation, long receivedNanos, long writtenNanos, boolean failed) {
        served.add(new Served(operation, writtenNanos - receivedNanos, failed));
    }

    /** Everything recorded so far, in order. */
    public List<Served> all() {
        return List.copyOf(served);
    }

    /** The records of {@code operation}. */
    public List<Served> of(RequestOperation operation) {
        return served.stream().filter(s -> s.operation() == operation).toList();
    }

    /**
     * Waits up to {@code timeoutMillis} until at least {@code count} requests are recorded
     * (a transport records after the flush that writes the response, which may trail the
     * client's read of it by a moment); returns how many there are.
     */
    public int await(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (served.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return served.size();
    }
}
