package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.modkv.api.storage.StoredRecord;

/**
 * The key files under {@code keys/}: where a key's file is, reading it, and the steps of
 * replacing it (temp file, fsync, rename) that {@link KeyFileFlusher} orders. Knows nothing
 * about batches or sequence order. Thread-safe (it keeps no mutable state).
 */
final class KeyFileStore {
    private final Path keysDir;
    private final int levels;
    private final FileSync sync;

    KeyFileStore(Path keysDir, int levels, FileSync sync) {
        this.keysDir = keysDir;
        this.levels = levels;
        this.sync = sync;
    }

    Path keysDir() {
        return keysDir;
    }

    /** The path of {@code key}'s file, e.g. {@code keys/3f/a2/user%3a42.kv}. */
    Path pathOf(byte[] key) {
        int hash = KeyFileNames.fanoutHash(key);
        Path dir = keysDir;
        for (int level = 0; level < levels; level++) {
            dir = dir.resolve(KeyFileNames.fanoutDirectory(hash, level));
        }
        return dir.resolve(KeyFileNames.fileName(key));
    }

    /**
     * The record in {@code key}'s file, or empty if there is no file.
     *
     * @throws IOException naming the file and offset if it is torn, corrupt or holds another key
     */
    Optional<StoredRecord> read(KeyBytes key) throws IOException {
        Path path = pathOf(key.bytes());
        StoredRecord record;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            record = KeyFileFormat.read(path, channel);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!Arrays.equals(record.key(), key.bytes())) {
            throw KeyFileFormat.corrupt(path, KeyFileFormat.HEADER_BYTES, "the file holds key "
                    + KeyBytes.wrap(record.key()) + ", not " + key);
        }
        return Optional.of(record);
    }

    /** Whether {@code key} has a file. */
    boolean exists(KeyBytes key) {
        return Files.exists(pathOf(key.bytes()));
    }

    /**
     * Writes {@code record} (a put) to {@code <file>.tmp} beside its key file and fsyncs it,
     * creating missing fan-out directories; every directory whose entries changed is added to
     * {@code dirtyDirectories} for the flusher to fsync.
     *
     * @return the temporary file, to be renamed by {@link #install}
     */
    Path writeTemp(PendingRecord record, Set<Path> dirtyDirectories) throws IOException {
        Path target = pathOf(record.key.bytes());
        Path temp = target.resolveSibling(target.getFileName() + KeyFileNames.TEMP_SUFFIX);
        FileChannel opened;
        try {
            opened = openTemp(temp);
        } catch (NoSuchFileException e) {
            createDirectories(target.getParent(), dirtyDirectories);
            opened = openTemp(temp);
        }
        try (FileChannel channel = opened) {
            ByteBuffer[] buffers = KeyFileFormat.encode(record.sequence, record.key.bytes(), record.metadata, record.value);
            long remaining = 0;
            for (ByteBuffer buffer : buffers) {
                remaining += buffer.remaining();
            }
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
            sync.file(channel);
        }
        return temp;
    }

    /** Renames a temporary file written by {@link #writeTemp} over its key file (atomic). */
    void install(Path temp) throws IOException {
        String name = temp.getFileName().toString();
        Path target = temp.resolveSibling(name.substring(0, name.length() - KeyFileNames.TEMP_SUFFIX.length()));
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes {@code key}'s file; returns its directory if a file was removed, else null. */
    Path delete(KeyBytes key) throws IOException {
        Path path = pathOf(key.bytes());
        try {
            return Files.deleteIfExists(path) ? path.getParent() : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Called for each file under {@code keys/} by {@link #walk}. */
    @FunctionalInterface
    interface FileVisitor {
        void visit(Path file, BasicFileAttributes attributes) throws IOException;
    }

    /**
     * Calls {@code visitor} for every regular file in the fan-out tree (key files, temporary
     * files, anything else), in no particular order. Files removed during the walk are skipped.
     */
    void walk(FileVisitor visitor) throws IOException {
        if (!Files.isDirectory(keysDir)) {
            return;
        }
        Files.walkFileTree(keysDir, EnumSet.noneOf(FileVisitOption.class), levels + 1,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                        if (attributes.isRegularFile()) {
                            visitor.visit(file, attributes);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (e instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
    }

    private static FileChannel openTemp(Path temp) throws IOException {
        return FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** mkdir of every missing level, marking each parent whose entries changed. */
    private void createDirectories(Path dir, Set<Path> dirtyDirectories) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (!dir.equals(keysDir)) {
            createDirectories(parent, dirtyDirectories);
        }
        try {
            Files.createDirectory(dir);
            dirtyDirectories.add(parent);
        } catch (FileAlreadyExistsException e) {
            // another flush thread made it; that thread marked the parent
        }
    }
}
