package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the next log segment's bytes (zeros) ahead of time on a background thread, so that
 * the group-commit agent can append into a file whose blocks and length are already on disk.
 * Appending to a growing file makes every {@code fdatasync} also write the inode (the length
 * changed); overwriting written blocks does not, and on the development machine's disk a
 * synchronous 4 KiB write then takes 0.6 instead of 1 unit of time (see docs/design/write-path.md).
 *
 * <p>The file is prepared under a temporary name ({@code prealloc-*.wal.tmp}, removed at open
 * if a crash leaves it) and handed to the agent whole; the agent renames it to the segment's
 * name. One file is prepared at a time. Thread-safe.
 */
final class SegmentPreparer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SegmentPreparer.class.getName());
    private static final int ZERO_CHUNK = 1 << 20;
    private static final AtomicLong THREADS = new AtomicLong();

    private final Path dir;
    private final long bytes;
    private Path ready;
    private Thread worker;
    private volatile boolean closed;

    SegmentPreparer(Path dir, long bytes) {
        this.dir = dir;
        this.bytes = bytes;
    }

    /** Starts preparing a file unless one is ready or on its way. */
    synchronized void request() {
        if (closed || worker != null || ready != null) {
            return;
        }
        worker = new Thread(this::prepare, "wal-prealloc-" + THREADS.incrementAndGet());
        worker.setDaemon(true);
        worker.start();
    }

    /** Whether a prepared file is waiting. */
    synchronized boolean hasReady() {
        return ready != null;
    }

    /** The prepared file, now the caller's to rename or delete; {@code null} if none is ready. */
    synchronized Path take() {
        Path taken = ready;
        ready = null;
        return taken;
    }

    private void prepare() {
        Path path = null;
        try {
            path = Files.createTempFile(dir, "prealloc-", DataFile.Kind.SEGMENT.suffix + DataFile.TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
                long position = 0;
                while (position < bytes && !closed) {
                    zeros.clear().limit((int) Math.min(ZERO_CHUNK, bytes - position));
                    while (zeros.hasRemaining()) {
                        position += channel.write(zeros, position);
                    }
                }
                if (!closed) {
                    channel.force(true);
                }
            }
            synchronized (this) {
                worker = null;
                if (!closed) {
                    ready = path;
                    return;
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot prepare the next log segment in " + dir
                    + "; the log grows its segments instead (fsyncs also write the file's length): " + e);
            try {
                if (path != null) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException ignored) {
                // removed at the next open
            }
            synchronized (this) {
                worker = null;
            }
        }
    }

    /**
     * Stops preparing: a preparation in flight stops after its current megabyte and deletes its
     * file (this waits for it), and a prepared file nobody took is deleted.
     */
    @Override
    public void close() throws IOException {
        Path unused;
        Thread running;
        synchronized (this) {
            closed = true;
            unused = ready;
            ready = null;
            running = worker;
        }
        if (running != null) {
            try {
                running.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (unused != null) {
            Files.deleteIfExists(unused);
        }
    }
}
