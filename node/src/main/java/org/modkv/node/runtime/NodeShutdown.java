package org.modkv.node.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The one stop of a node, and its bound (docs/design/shutdown.md).
 *
 * <p><b>Who asks.</b> {@link #stopAfterFatal} is called by whichever thread saw a write fail
 * with a storage failure, usually a transport's event loop; {@link #requestStop} by the node's
 * {@code close()} (the SIGTERM hook, an embedding program). Neither blocks and neither takes a
 * lock: the first request starts the stop, later ones find it started.
 *
 * <p><b>Who stops.</b> One dedicated thread ({@code modkv-stop}, or {@code modkv-fatal-stop}
 * after a fatal error) runs {@link NodeRuntime#close()}. It waits for event loops to close their
 * connections while holding no lock, and no event loop ever waits for it.
 *
 * <p><b>The bound.</b> A watchdog ({@code modkv-stop-watchdog}) gives the stop thread
 * {@code node.shutdown.timeout.ms}. Past it, it logs the parts that did not close and where the
 * stop thread is stuck, and declares the node stopped anyway, so that {@link #awaitStopped()}
 * returns and the process can exit.
 */
public final class NodeShutdown {
    private static final System.Logger LOG = System.getLogger(NodeShutdown.class.getName());
    /** Frames of the stuck stop thread shown when the bound passes. */
    private static final int STUCK_FRAMES = 12;

    private final String nodeId;
    private final NodeRuntime runtime;
    private final long timeoutMs;
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Set once the node serves; a fatal error seen before only records its cause. */
    private volatile boolean armed;
    private volatile Thread stopThread;

    /**
     * @param timeoutMs how long the stop may take ({@code node.shutdown.timeout.ms})
     */
    public NodeShutdown(String nodeId, NodeRuntime runtime, long timeoutMs) {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("the shutdown timeout must be positive, not " + timeoutMs + " ms");
        }
        this.nodeId = nodeId;
        this.runtime = runtime;
        this.timeoutMs = timeoutMs;
    }

    /** Called once the node serves: from now on a fatal error stops it, and one seen earlier stops it now. */
    public void arm() {
        armed = true;
        if (fatal.get() != null) {
            start(true);
        }
    }

    /**
     * A write failed with a storage failure: the node must stop, because acknowledging further
     * writes could not be honest. Records the first cause, logs it and starts the stop on its own
     * thread; never blocks, so any thread (an event loop) may call it.
     */
    public void stopAfterFatal(Throwable cause) {
        if (finished.get() || !fatal.compareAndSet(null, cause)) {
            return;
        }
        if (started.get()) {
            LOG.log(System.Logger.Level.ERROR, "node " + nodeId + " had a fatal storage error while stopping", cause);
        } else {
            LOG.log(System.Logger.Level.ERROR, "node " + nodeId + " is stopping after a fatal storage error", cause);
        }
        if (armed) {
            start(true);
        }
    }

    /** Starts the stop unless it has started; never blocks. */
    public void requestStop() {
        start(false);
    }

    /** Whether the calling thread is the stop thread. */
    public boolean isStopThread() {
        return Thread.currentThread() == stopThread;
    }

    /** The fatal error that stopped the node, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(fatal.get());
    }

    /** Whether the node has stopped (or its stop gave up at the bound). */
    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** Blocks until the node has stopped, or the stop gave up at the bound (after a stop was asked for). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** As {@link #awaitStopped()}, waiting at most {@code timeout}; true if the node has stopped. */
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    private void start(boolean afterFatal) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Thread stop = new Thread(this::stop, afterFatal ? "modkv-fatal-stop" : "modkv-stop");
        stop.setDaemon(true);
        stopThread = stop;
        Thread watchdog = new Thread(this::watch, "modkv-stop-watchdog");
        watchdog.setDaemon(true);
        stop.start();
        watchdog.start();
    }

    private void stop() {
        try {
            runtime.close();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " did not close cleanly", e);
        }
        finish(List.of());
    }

    private void watch() {
        try {
            if (stopped.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; give up the bound's check
            return;
        }
        List<String> notClosed = runtime.notClosed();
        finish(notClosed.isEmpty() ? List.of("(the stop thread had not finished)") : notClosed);
    }

    /** Declares the node stopped, once: by the stop thread when done, or by the watchdog at the bound. */
    private void finish(List<String> notClosed) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        if (!notClosed.isEmpty()) {
            Thread stop = stopThread;
            String stuckAt = stop == null ? "" : Arrays.stream(stop.getStackTrace()).limit(STUCK_FRAMES)
                    .map(frame -> "\n\tat " + frame).collect(Collectors.joining());
            LOG.log(System.Logger.Level.WARNING, "node " + nodeId + " did not stop within node.shutdown.timeout.ms="
                    + timeoutMs + "; stopping anyway. Not closed: " + String.join(", ", notClosed)
                    + (stuckAt.isEmpty() ? "" : ". The stop thread is at:" + stuckAt));
        }
        Throwable cause = fatal.get();
        if (cause == null) {
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " stopped");
        } else {
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " stopped after a fatal storage error: "
                    + cause.getMessage());
        }
        stopped.countDown();
    }
}
