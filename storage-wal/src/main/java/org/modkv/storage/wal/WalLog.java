package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ordered segment files of one log directory: the active segment that takes appends,
 * rolling to a new one, fsync with its counters, and the directory fsync after a file is
 * created. Built by {@link WalRecovery}.
 *
 * <p>Threading: {@link #roll} and {@link #forceActive} are called by the writer thread only;
 * the counters and {@link #close} are safe from any thread.
 */
final class WalLog {
    private final Path dir;
    private final long segmentBytes;
    private final ChannelOpener opener;
    private final List<WalSegment> segments;
    private final long recoveredSequence;
    private final AtomicLong fsyncs = new AtomicLong();
    private volatile WalSegment active;
    private volatile long lastFsyncMicros = -1;

    WalLog(Path dir, long segmentBytes, ChannelOpener opener, List<WalSegment> segments, long recoveredSequence) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.opener = opener;
        this.segments = new CopyOnWriteArrayList<>(segments);
        this.active = segments.get(segments.size() - 1);
        this.recoveredSequence = recoveredSequence;
    }

    Path dir() {
        return dir;
    }

    WalSegment active() {
        return active;
    }

    /** Sequence number of the last record found at open. */
    long recoveredSequence() {
        return recoveredSequence;
    }

    /**
     * Whether a record of {@code recordBytes} appended at {@code position} of the active
     * segment must go to a new segment instead. A record never splits, and one larger than
     * the segment size goes alone into a fresh segment.
     */
    boolean mustRollBefore(long position, long recordBytes) {
        return position > 0 && position + recordBytes > segmentBytes;
    }

    /**
     * Makes the active segment durable and closes it for writes, then creates the next one
     * and fsyncs the directory. The fsync first keeps the recovery rule simple: only the last
     * segment can have a torn tail.
     */
    WalSegment roll() throws IOException {
        WalSegment old = active;
        timedForce(old);
        old.seal();
        WalSegment next = WalSegment.create(dir, old.id() + 1, opener);
        segments.add(next);
        active = next;
        syncDirectory(dir);
        return next;
    }

    /** fsync of the active segment. */
    void forceActive() throws IOException {
        timedForce(active);
    }

    private void timedForce(WalSegment segment) throws IOException {
        long start = System.nanoTime();
        segment.force();
        lastFsyncMicros = (System.nanoTime() - start) / 1_000;
        fsyncs.incrementAndGet();
    }

    int segmentCount() {
        return segments.size();
    }

    /** Bytes of records in all segments. */
    long totalBytes() {
        long total = 0;
        for (WalSegment segment : segments) {
            total += segment.size();
        }
        return total;
    }

    long fsyncs() {
        return fsyncs.get();
    }

    /** Duration of the latest fsync in microseconds, or -1 before the first. */
    long lastFsyncMicros() {
        return lastFsyncMicros;
    }

    /**
     * Closes every segment, first forcing the active one if {@code flush} (not after a
     * storage failure: a failed fsync is never retried).
     */
    void close(boolean flush) throws IOException {
        IOException failure = null;
        if (flush && !active.isSealed() && !active.isClosed()) {
            try {
                active.force();
            } catch (IOException e) {
                failure = e;
            }
        }
        for (WalSegment segment : segments) {
            try {
                segment.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** fsync of a directory, so that files created or removed in it survive a crash. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
