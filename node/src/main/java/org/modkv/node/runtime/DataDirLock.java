package org.modkv.node.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the data directory, so two nodes never write the same files (and an
 * offline check never reads files a node is writing). Released by {@link #close()} or by the OS
 * when the process dies (so kill -9 leaves no stale lock).
 */
public final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates {@code dataDir} if needed and locks it. */
    static DataDirLock acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        DataDirLock lock = tryAcquire(dataDir);
        if (lock == null) {
            throw new IOException("data directory " + dataDir.toAbsolutePath()
                    + " is in use by another modkv node; stop it or choose another data.dir");
        }
        return lock;
    }

    /** Locks the existing directory {@code dataDir}, or returns {@code null} if a node (or a check) holds it. */
    public static DataDirLock tryAcquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve("LOCK");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return null;
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
