package org.modkv.replication.raft;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.modkv.api.storage.CheckpointReader;
import org.modkv.api.storage.CorruptDataException;
import org.modkv.api.storage.StorageEngine;

/**
 * A follower's side of a snapshot transfer, and the crash-safe install of a received snapshot.
 *
 * <p>Chunks are written to {@code snapshot-in.tmp} in order. The complete file is fsync'd and
 * every record of it checked ({@link CheckpointReader#verify}: a snapshot passes through the
 * leader's disk, the network and this node's disk, and installing one starts by deleting
 * storage's keys, so damage must be found before then). A damaged snapshot is deleted and
 * refused (the leader sends a new one); a good one is renamed to
 * {@code snapshot-install-<index>-<term>} before storage is touched; installing
 * (replacing storage's contents with the checkpoint, then recording the snapshot in the Raft
 * state and resetting the log) may be interrupted by a crash, so on start-up a file of that
 * name is installed again before anything else. Confined to the Raft scheduler.
 */
final class SnapshotReceiver {
    private static final System.Logger LOG = System.getLogger(SnapshotReceiver.class.getName());
    private static final Pattern INSTALL_FILE = Pattern.compile("snapshot-install-(\\d+)-(\\d+)");

    private final Path dir;
    private FileChannel channel;
    private long index;
    private long term;
    private long expectedOffset;
    private Received completed;

    SnapshotReceiver(Path dir) {
        this.dir = dir;
    }

    /** A received snapshot ready to install. */
    record Received(Path file, long index, long term) {
    }

    /**
     * Takes one chunk; false when it is not the chunk expected next (the leader then starts
     * over). After the last chunk, {@link #completed()} holds the snapshot.
     */
    boolean accept(long chunkIndex, long chunkTerm, long offset, byte[] data, boolean done) throws IOException {
        completed = null;
        if (offset == 0) {
            abort();
            channel = FileChannel.open(dir.resolve("snapshot-in.tmp"), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            index = chunkIndex;
            term = chunkTerm;
            expectedOffset = 0;
        } else if (channel == null || chunkIndex != index || chunkTerm != term || offset != expectedOffset) {
            return false;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            channel.write(buffer, expectedOffset + buffer.position());
        }
        expectedOffset += data.length;
        if (!done) {
            return true;
        }
        channel.force(true);
        channel.close();
        channel = null;
        if (!intact(dir.resolve("snapshot-in.tmp"))) {
            Files.deleteIfExists(dir.resolve("snapshot-in.tmp"));
            return false;
        }
        Path installFile = dir.resolve("snapshot-install-" + index + "-" + term);
        Files.move(dir.resolve("snapshot-in.tmp"), installFile, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
        completed = new Received(installFile, index, term);
        return true;
    }

    /** The snapshot completed by the last accepted chunk, if it was the last. */
    Optional<Received> completed() {
        return Optional.ofNullable(completed);
    }

    /** Drops a partly received snapshot. */
    void abort() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        Files.deleteIfExists(dir.resolve("snapshot-in.tmp"));
    }

    /**
     * Whether every record of the checkpoint in {@code file} checks out; if not, the damage is
     * logged.
     */
    private static boolean intact(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CheckpointReader.verify(in);
            return true;
        } catch (CorruptDataException e) {
            LOG.log(System.Logger.Level.WARNING, "refusing the snapshot in " + file + ": " + e.getMessage()
                    + "; the leader will send a new one");
            return false;
        }
    }

    /**
     * A snapshot received before a crash and not yet (completely) installed. One that has been
     * damaged on disk since is deleted instead (the leader sends a new one).
     */
    static Optional<Received> pendingInstall(Path dir) throws IOException {
        Received newest = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-install-*")) {
            for (Path file : files) {
                Matcher matcher = INSTALL_FILE.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    Received received = new Received(file, Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
                    if (newest == null || received.index() > newest.index()) {
                        newest = received;
                    }
                }
            }
        }
        if (newest != null && !intact(newest.file())) {
            Files.delete(newest.file());
            return Optional.empty();
        }
        return Optional.ofNullable(newest);
    }

    /** Replaces storage's contents with the snapshot's; durable when it returns (blocks until then). */
    static void replaceStorage(StorageEngine storage, Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            storage.restore(in);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
