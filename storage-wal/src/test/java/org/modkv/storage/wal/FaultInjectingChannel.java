package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real file channel whose writes or fsyncs can be made to fail, and that counts fsyncs
 * made after the failure was armed (a failed fsync must never be retried).
 */
final class FaultInjectingChannel extends FileChannel {
    /** Shared switches for every channel a test's opener creates. */
    static final class Faults {
        final AtomicBoolean failForce = new AtomicBoolean();
        final AtomicBoolean failWrite = new AtomicBoolean();
        final AtomicInteger forcesWhileFailing = new AtomicInteger();
        final AtomicInteger forces = new AtomicInteger();
        /** While set, every fsync waits for it to open (a slow disk). */
        volatile java.util.concurrent.CountDownLatch forceGate;
        /** A channel opened for a path this accepts fails every write (e.g. the third merge output). */
        volatile Predicate<Path> failWritesOfFilesOpened = path -> false;

        ChannelOpener opener() {
            return (path, options) -> new FaultInjectingChannel(FileChannel.open(path, options), this,
                    failWritesOfFilesOpened.test(path));
        }
    }

    private final FileChannel delegate;
    private final Faults faults;
    private final boolean failWrites;

    private FaultInjectingChannel(FileChannel delegate, Faults faults, boolean failWrites) {
        this.delegate = delegate;
        this.faults = faults;
        this.failWrites = failWrites;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        java.util.concurrent.CountDownLatch gate = faults.forceGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the test held fsync", e);
            }
        }
        faults.forces.incrementAndGet();
        if (faults.failForce.get()) {
            faults.forcesWhileFailing.incrementAndGet();
            throw new IOException("injected fsync failure (EIO)");
        }
        delegate.force(metaData);
    }

    private void maybeFailWrite() throws IOException {
        if (faults.failWrite.get() || failWrites) {
            throw new IOException("injected write failure (ENOSPC)");
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        maybeFailWrite();
        return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        maybeFailWrite();
        return delegate.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        maybeFailWrite();
        return delegate.write(src, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        maybeFailWrite();
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
