package org.modkv.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop scheduler: one thread that wakes each client at the time its next request is
 * due and lets it send. Closed-loop clients use it only to back off after a failure.
 *
 * <p>A binary min-heap of (due time, client) in two parallel arrays, sized for all clients
 * (each client waits in it at most once), so scheduling allocates nothing. The thread parks
 * until the earliest due time; a schedule that becomes the new earliest unparks it. A client
 * fired late (the thread was descheduled, the JVM paused) still carries its intended time, so
 * the lateness is counted in its latency: coordinated omission is not hidden.
 */
final class PacingQueue implements Runnable {
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long[] due;
    private final LoadClient[] clients;
    private int size;
    private volatile boolean stopped;
    private final Thread thread;

    PacingQueue(int capacity) {
        this.due = new long[capacity];
        this.clients = new LoadClient[capacity];
        this.thread = new Thread(this, "modkv-bench-pacer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Lets {@code client} send at {@code dueNs} ({@link System#nanoTime()} scale). Returns
     * {@code false}, scheduling nothing, once the queue is stopped: the caller goes on itself.
     */
    boolean schedule(LoadClient client, long dueNs) {
        boolean earliest;
        synchronized (this) {
            if (stopped) {
                return false;
            }
            if (size == due.length) {
                throw new IllegalStateException("pacing queue full: a client was scheduled twice");
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (due[parent] <= dueNs) {
                    break;
                }
                due[i] = due[parent];
                clients[i] = clients[parent];
                i = parent;
            }
            due[i] = dueNs;
            clients[i] = client;
            earliest = i == 0;
        }
        if (earliest) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    @Override
    public void run() {
        while (!stopped) {
            LoadClient fire = null;
            long waitNs = IDLE_PARK_NS;
            synchronized (this) {
                if (size > 0) {
                    long now = System.nanoTime();
                    if (due[0] <= now) {
                        fire = removeFirst();
                    } else {
                        waitNs = due[0] - now;
                    }
                }
            }
            if (fire != null) {
                fire.kick();
            } else {
                LockSupport.parkNanos(this, waitNs);
            }
        }
    }

    /**
     * Stops the thread, then lets every client still waiting go at once (they find the run
     * stopped or over, and finish).
     */
    void stop() throws InterruptedException {
        stopped = true;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(5));
        while (true) {
            LoadClient next;
            synchronized (this) {
                next = size == 0 ? null : removeFirst();
            }
            if (next == null) {
                return;
            }
            next.kick();
        }
    }

    /** Clients waiting. */
    synchronized int size() {
        return size;
    }

    private LoadClient removeFirst() {
        LoadClient first = clients[0];
        int last = --size;
        long lastDue = due[last];
        LoadClient lastClient = clients[last];
        clients[last] = null;
        if (last > 0) {
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= last) {
                    break;
                }
                if (child + 1 < last && due[child + 1] < due[child]) {
                    child++;
                }
                if (due[child] >= lastDue) {
                    break;
                }
                due[i] = due[child];
                clients[i] = clients[child];
                i = child;
            }
            due[i] = lastDue;
            clients[i] = lastClient;
        }
        return first;
    }
}
