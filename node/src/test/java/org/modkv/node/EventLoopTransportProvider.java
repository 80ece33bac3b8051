package org.modkv.node;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.modkv.api.ApiVersion;
import org.modkv.api.transport.Endpoint;
import org.modkv.api.transport.RequestHandler;
import org.modkv.api.transport.Transport;
import org.modkv.api.transport.TransportContext;

/**
 * A test transport with one event loop thread, shaped like a Netty transport where it matters
 * for stopping: requests run on the loop ({@link #onLoop}), and {@code close()} runs the closing
 * of its connections on the loop and waits for it, so it cannot finish while the loop is busy.
 * Its close can also be held ({@link #holdClose()}) to play a part that never closes.
 */
final class EventLoopTransportProvider implements org.modkv.api.transport.TransportProvider {
    /** Longer than any bounded wait of the tests, so that a test fails before a close gives up. */
    private static final long CLOSE_WAIT_SECONDS = 120;

    private final ExecutorService loop = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "test-event-loop");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closeStarted = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch closeHeld = new CountDownLatch(1);
    private volatile boolean holdClose;
    private volatile Thread loopThread;
    private volatile RequestHandler requests;

    @Override
    public String name() {
        return "loop";
    }

    @Override
    public int apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public Transport start(TransportContext context) {
        requests = context.requests();
        try {
            loopThread = loop.submit(Thread::currentThread).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return new Transport() {
            @Override
            public List<Endpoint> endpoints() {
                return List.of();
            }

            @Override
            public boolean ownsCurrentThread() {
                return Thread.currentThread() == loopThread;
            }

            @Override
            public void close() {
                closeStarted.countDown();
                try {
                    if (holdClose) {
                        closeHeld.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
                    }
                    loop.submit(() -> { }).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS); // "close the connections"
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("the loop did not close its connections", e);
                }
                loop.shutdown();
                closed.countDown();
            }
        };
    }

    /** Runs {@code task} on the event loop with the kernel's request handler. */
    Future<?> onLoop(LoopTask task) {
        return loop.submit(() -> {
            task.run(requests);
            return null;
        });
    }

    /** Counted down when a close of the transport begins. */
    CountDownLatch closeStarted() {
        return closeStarted;
    }

    /** Whether the transport has closed. */
    boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** From now on, a close waits until {@link #releaseClose()} (at most two minutes): a part that does not close. */
    void holdClose() {
        holdClose = true;
    }

    void releaseClose() {
        closeHeld.countDown();
    }

    /** What a test runs on the loop. */
    @FunctionalInterface
    interface LoopTask {
        void run(RequestHandler requests) throws Exception;
    }
}
