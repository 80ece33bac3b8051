package org.modkv.replication.raft;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.modkv.api.storage.StorageEngine;

/**
 * A leader's snapshot on its way to one follower: the storage engine's checkpoint written to a
 * file under the plugin's directory, sent in chunks in order. The checkpoint holds at least
 * every entry up to {@link #index}; entries after it that it may also hold are applied again by
 * the follower, which is harmless. Confined to the Raft scheduler.
 */
final class SnapshotTransfer implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    final long index;
    final long term;
    private final long size;
    private long offset;

    private SnapshotTransfer(Path file, FileChannel channel, long index, long term) throws IOException {
        this.file = file;
        this.channel = channel;
        this.index = index;
        this.term = term;
        this.size = channel.size();
    }

    /** Writes the checkpoint (this blocks the caller for as long as the checkpoint takes). */
    static SnapshotTransfer create(Path dir, String peer, StorageEngine storage, long index, long term) throws IOException {
        Path file = dir.resolve("snapshot-to-" + peer + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 1 << 16)) {
            storage.checkpoint(out);
        }
        return new SnapshotTransfer(file, FileChannel.open(file, StandardOpenOption.READ), index, term);
    }

    long offset() {
        return offset;
    }

    /** The next chunk, at most {@code maxBytes}, from {@link #offset()}. */
    byte[] nextChunk(int maxBytes) throws IOException {
        int length = (int) Math.min(maxBytes, size - offset);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("snapshot file " + file + " ended early at " + (offset + buffer.position()));
            }
        }
        return buffer.array();
    }

    boolean lastChunk(int length) {
        return offset + length >= size;
    }

    void advance(int length) {
        offset += length;
    }

    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.getLogger(SnapshotTransfer.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot remove snapshot file " + file + ": " + e.getMessage());
        }
    }
}
