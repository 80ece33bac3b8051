package org.modkv.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes every key of the key space once, before the run, so that reads and searches find
 * data. Nothing is recorded. {@code clients} writers share the lanes as the load clients do,
 * each taking the next key index until all are written.
 */
final class Preloader {
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1);

    private final Lane[] lanes;
    private final KeyFormat keyFormat;
    private final ValuePool values;
    private final long keys;
    private final int writers;
    private final long stallNs;
    private final AtomicLong nextKey = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final AtomicInteger running;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopped;

    Preloader(Lane[] lanes, KeyFormat keyFormat, ValuePool values, long keys, int writers, long stallNs) {
        this.lanes = lanes;
        this.keyFormat = keyFormat;
        this.values = values;
        this.keys = keys;
        this.writers = writers;
        this.stallNs = stallNs;
        this.running = new AtomicInteger(writers);
    }

    /**
     * Writes all keys; prints progress about once a second to {@code progress} (if not null).
     *
     * @throws BenchException if any write failed, or the target stopped answering
     */
    void run(PrintStream progress) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < writers; i++) {
            new Writer(lanes[i % lanes.length]).kick();
        }
        long lastWritten = 0;
        long lastChange = start;
        while (!done.await(TICK_NS, TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime();
            long count = written.get() + failures.get();
            if (count != lastWritten) {
                lastWritten = count;
                lastChange = now;
            } else if (now - lastChange > stallNs) {
                stopped = true;
                throw new BenchException("preload stalled: no reply for " + TimeUnit.NANOSECONDS.toSeconds(stallNs)
                        + " s after " + count + " of " + keys + " writes");
            }
            if (progress != null) {
                progress.printf(Locale.ROOT, "%6.1fs  preloading  %d/%d keys (%.0f%%)%n",
                        (now - start) / 1e9, count, keys, 100.0 * count / keys);
            }
        }
        if (failures.get() > 0) {
            Throwable first = firstFailure.get();
            throw new BenchException("preload failed: " + failures.get() + " of " + keys + " writes failed; first: "
                    + ErrorTally.describe(first), first);
        }
        if (progress != null) {
            progress.printf(Locale.ROOT, "%6.1fs  preloaded   %d keys%n", (System.nanoTime() - start) / 1e9, keys);
        }
    }

    long written() {
        return written.get();
    }

    /** One writer: put key after key, one outstanding, with the load client's drain loop. */
    private final class Writer implements Completion {
        private final Lane lane;
        private final byte[] key = keyFormat.newBuffer();
        private final AtomicInteger wip = new AtomicInteger();

        Writer(Lane lane) {
            this.lane = lane;
        }

        void kick() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            do {
                long index = stopped ? keys : nextKey.getAndIncrement();
                if (index >= keys) {
                    if (running.decrementAndGet() == 0) {
                        done.countDown();
                    }
                } else {
                    keyFormat.write(index, key);
                    lane.target().put(key, values.valueFor(index), this);
                }
            } while (wip.decrementAndGet() != 0);
        }

        @Override
        public void succeeded(boolean found) {
            written.incrementAndGet();
            kick();
        }

        @Override
        public void failed(Throwable cause) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, cause);
            stopped = true;
            kick();
        }
    }
}
