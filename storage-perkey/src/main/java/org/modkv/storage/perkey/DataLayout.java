package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The data directory, created on first open and locked while open:
 *
 * <pre>
 *   perkey.format          format version and fan-out levels (text, written once)
 *   perkey.lock            held with an OS file lock while an engine has the directory open
 *   checkpoint             sequence up to which the key files are complete ({@link CheckpointFile})
 *   intents/               one file per group of batches not yet checkpointed ({@link IntentLog})
 *   keys/3f/a2/&lt;key&gt;.kv   one file per key ({@link KeyFileNames}, {@link KeyFileFormat})
 * </pre>
 */
final class DataLayout implements AutoCloseable {
    static final String FORMAT_FILE = "perkey.format";
    static final String LOCK_FILE = "perkey.lock";
    static final String INTENTS_DIR = "intents";
    static final String KEYS_DIR = "keys";
    private static final String FORMAT_VERSION = "1";

    private final Path dir;
    private final int fanoutLevels;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataLayout(Path dir, int fanoutLevels, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.fanoutLevels = fanoutLevels;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir}, creating the layout if it is new, and checks that an existing one
     * matches this build and {@code options}.
     *
     * @throws IOException if another engine holds the directory, or its format or fan-out
     *     differs (the message says what to change)
     */
    static DataLayout open(Path dir, PerKeyOptions options, FileSync sync) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("data directory " + dir + " is in use by another perkey engine (" + LOCK_FILE
                    + " is locked); stop the other node or give this one its own data directory");
        }
        try {
            // Left by a crash inside FileSync.replaceFile; the real files are intact.
            Files.deleteIfExists(dir.resolve(FORMAT_FILE + KeyFileNames.TEMP_SUFFIX));
            Files.deleteIfExists(dir.resolve(CheckpointFile.NAME + KeyFileNames.TEMP_SUFFIX));
            int levels = readOrCreateFormat(dir, options, sync);
            createDirectory(dir, INTENTS_DIR, sync);
            createDirectory(dir, KEYS_DIR, sync);
            return new DataLayout(dir, levels, channel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    Path intentsDir() {
        return dir.resolve(INTENTS_DIR);
    }

    Path keysDir() {
        return dir.resolve(KEYS_DIR);
    }

    int fanoutLevels() {
        return fanoutLevels;
    }

    /** Releases the directory lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    private static int readOrCreateFormat(Path dir, PerKeyOptions options, FileSync sync) throws IOException {
        Path path = dir.resolve(FORMAT_FILE);
        Properties format = new Properties();
        try (var reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            format.load(reader);
        } catch (NoSuchFileException e) {
            String text = "# modkv perkey data directory: one file per key under keys/. Written once; do not edit.\n"
                    + "format=" + FORMAT_VERSION + "\n" + "fanout.levels=" + options.fanoutLevels() + "\n";
            sync.replaceFile(path, text.getBytes(StandardCharsets.UTF_8));
            return options.fanoutLevels();
        }
        if (!FORMAT_VERSION.equals(format.getProperty("format"))) {
            throw new IOException(path + " says format=" + format.getProperty("format") + "; this build reads format "
                    + FORMAT_VERSION + " only");
        }
        int levels;
        try {
            levels = Integer.parseInt(format.getProperty("fanout.levels", ""));
        } catch (NumberFormatException e) {
            throw new IOException(path + " has no valid fanout.levels line; it is written once when the directory "
                    + "is created, restore it from a backup");
        }
        if (levels < 0 || levels > KeyFileNames.MAX_LEVELS) {
            throw new IOException(path + " says fanout.levels=" + levels + "; allowed 0.." + KeyFileNames.MAX_LEVELS);
        }
        if (options.fanoutLevelsSet() && options.fanoutLevels() != levels) {
            throw new IOException("perkey.fanout.levels=" + options.fanoutLevels() + " but data directory " + dir
                    + " was created with " + levels + " levels, and the layout cannot change after creation; "
                    + "set perkey.fanout.levels=" + levels + " or remove the setting");
        }
        return levels;
    }

    private static void createDirectory(Path dir, String name, FileSync sync) throws IOException {
        Path child = dir.resolve(name);
        if (!Files.isDirectory(child)) {
            Files.createDirectory(child);
            sync.directory(dir);
        }
    }
}
