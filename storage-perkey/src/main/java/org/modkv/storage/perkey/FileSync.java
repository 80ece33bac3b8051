package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every fsync the engine does goes through here, so {@code perkey.sync=none} turns them all
 * off in one place and {@code stats()} can count them. Thread-safe.
 *
 * <p>A failed fsync is never retried: the caller fails the engine, because after a failed
 * fsync the kernel may have dropped the dirty pages and a retry could report success for data
 * that is gone.
 */
final class FileSync {
    private final boolean enabled;
    private final LongAdder fsyncs = new LongAdder();

    FileSync(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** fsync of an open file (data and metadata). */
    void file(FileChannel channel) throws IOException {
        if (enabled) {
            channel.force(true);
            fsyncs.increment();
        }
    }

    /** fsync of a directory, which makes the creations, renames and deletions in it durable. */
    void directory(Path dir) throws IOException {
        if (enabled) {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
            fsyncs.increment();
        }
    }

    /**
     * Replaces {@code target} with {@code content} so that a crash leaves the old or the new
     * content, never a mix: write {@code target.tmp}, fsync it, rename it over the target,
     * fsync the directory.
     */
    void replaceFile(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + KeyFileNames.TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            file(channel);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        directory(target.getParent());
    }

    /** Number of fsyncs done so far. */
    long count() {
        return fsyncs.sum();
    }
}
