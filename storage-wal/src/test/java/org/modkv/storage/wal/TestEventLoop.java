package org.modkv.storage.wal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.modkv.api.transport.EventLoopFsync;

/**
 * A real event loop for tests, as a transport's io_uring loop behaves towards storage: one
 * thread runs tasks in order, and the loop is an {@link EventLoopFsync} (which its tasks pass to
 * {@code endOfBurst}) whose fsyncs run on another thread (the kernel's io_uring worker, here a
 * plain thread forcing the descriptor it was given) and come back as tasks on the loop.
 * {@link Mode} makes it fail, skip or refuse them instead.
 */
final class TestEventLoop implements AutoCloseable, EventLoopFsync {
    enum Mode {
        /** fdatasync the descriptor on the worker, report success. */
        RUN,
        /** Report every fsync as never run (a loop that closed with them in flight). */
        NOT_RUN,
        /** Report every fsync as failed with EIO, without running it. */
        FAIL,
        /** Refuse to start any: the caller must block in its own fsync. */
        REFUSE,
        /** As {@link #RUN}, but each fsync waits for {@link #releaseHeld()} first. */
        HOLD
    }

    static final int EIO = 5;
    /** Most fsyncs in flight at once; more are refused. */
    private static final int MAX_IN_FLIGHT = 4;

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final ExecutorService worker;
    private final Thread thread;
    /** fsyncs started and not yet reported; loop thread only. */
    private int inFlight;
    private final Mode mode;
    private final AtomicInteger fsyncsRun = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean stopped;

    TestEventLoop(String name, Mode mode) {
        this.mode = mode;
        this.worker = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-fsync-worker"));
        this.thread = new Thread(this::run, name);
        thread.start();
    }

    private void run() {
        try {
            while (!stopped || !tasks.isEmpty()) {
                Runnable task = tasks.poll(10, TimeUnit.MILLISECONDS);
                if (task != null) {
                    task.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code task} on the loop, after the tasks before it. */
    void execute(Runnable task) {
        tasks.add(task);
    }

    /** fsyncs the worker ran. */
    int fsyncsRun() {
        return fsyncsRun.get();
    }

    boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public boolean startDataSync(FileDescriptor file, int tag, Done done) {
        if (!isLoopThread()) {
            throw new IllegalStateException("startDataSync called off the loop, on " + Thread.currentThread());
        }
        if (mode == Mode.REFUSE) {
            return false;
        }
        if (inFlight == MAX_IN_FLIGHT) {
            return false;
        }
        inFlight++;
        worker.execute(() -> {
            int errno = switch (mode) {
                case RUN -> force(file);
                case HOLD -> awaitRelease() ? force(file) : EIO;
                case NOT_RUN -> NOT_RUN;
                default -> EIO;
            };
            execute(() -> {
                inFlight--;
                done.fsynced(tag, errno);
            });
        });
        return true;
    }

    /** Lets the fsyncs held ({@link Mode#HOLD}) run. */
    void releaseHeld() {
        held.countDown();
    }

    private boolean awaitRelease() {
        try {
            return held.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int force(FileDescriptor file) {
        // Not closed: the descriptor belongs to storage (closing the stream would close it).
        @SuppressWarnings("resource")
        FileInputStream stream = new FileInputStream(file);
        try {
            stream.getChannel().force(false);
            fsyncsRun.incrementAndGet();
            return 0;
        } catch (IOException e) {
            return EIO;
        }
    }

    @Override
    public void close() throws InterruptedException {
        releaseHeld();
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        worker.shutdown();
        worker.awaitTermination(30, TimeUnit.SECONDS);
    }
}
