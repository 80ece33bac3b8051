package org.modkv.storage.wal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A read-only descriptor of a data file kept open for fsyncs that run outside the commit turn
 * on an event loop's ring ({@code EventLoopFsync}): an fsync forces the file, whichever
 * descriptor names it, and this one stays open while such an fsync is in flight even after
 * the file is sealed (its write channel closed) or closed, so the kernel never forces a
 * descriptor number that was reused meanwhile.
 */
final class SyncDescriptor {
    private final RandomAccessFile file;
    private int inFlight;
    private boolean released;

    SyncDescriptor(Path path) throws IOException {
        this.file = new RandomAccessFile(path.toFile(), "r");
    }

    /** The descriptor for one more fsync, or {@code null} once released; pair with {@link #returned()}. */
    synchronized FileDescriptor acquire() throws IOException {
        if (released) {
            return null;
        }
        inFlight++;
        return file.getFD();
    }

    /** Forces the file by blocking (for an fsync the event loop could not run). */
    void force() throws IOException {
        file.getChannel().force(false);
    }

    /** An fsync acquired with {@link #acquire()} is over; closes the descriptor if it was released. */
    synchronized void returned() throws IOException {
        inFlight--;
        if (released && inFlight == 0) {
            file.close();
        }
    }

    /** The data file closes: closes the descriptor now, or when its last fsync returns. */
    synchronized void release() throws IOException {
        if (!released) {
            released = true;
            if (inFlight == 0) {
                file.close();
            }
        }
    }
}
