package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The start-up walk over {@code keys/}: reads the header, key and metadata of every key file
 * (never a value) to count the keys and find the highest sequence, checks each file's
 * checksum, size and place, and removes temporary files left by a crash. Logs progress every
 * {@value ProgressLog#INTERVAL_SECONDS} seconds on large directories ({@link ProgressLog}).
 */
final class StartupScan {
    private static final System.Logger LOG = System.getLogger(StartupScan.class.getName());
    private static final int MAX_WARNINGS = 10;

    private StartupScan() {
    }

    /**
     * What the walk found.
     *
     * @param keys key files (live keys)
     * @param maxSequence highest sequence in a key file header, 0 if none
     * @param tempFilesRemoved left-over temporary files deleted
     * @param otherFiles files that are neither, left alone
     */
    record Result(long keys, long maxSequence, long tempFilesRemoved, long otherFiles) {
    }

    /**
     * @throws IOException naming the file and offset of a torn or corrupt key file, or of a key
     *     file in the wrong place (it would be invisible to reads)
     */
    static Result run(KeyFileStore store) throws IOException {
        long start = System.nanoTime();
        long[] counts = new long[4];
        ProgressLog progress = new ProgressLog("start-up of " + store.keysDir() + ": files checked", -1);
        store.walk((file, attributes) -> {
            String name = file.getFileName().toString();
            if (name.endsWith(KeyFileNames.TEMP_SUFFIX)) {
                Files.deleteIfExists(file);
                counts[2]++;
            } else if (name.endsWith(KeyFileNames.KEY_SUFFIX)) {
                long sequence = check(store, file);
                if (sequence >= 0) {
                    counts[0]++;
                    counts[1] = Math.max(counts[1], sequence);
                }
            } else {
                if (counts[3]++ < MAX_WARNINGS) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring {0}: not a key file", file);
                }
            }
            progress.advance();
        });
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (counts[2] > 0 || elapsedMs >= TimeUnit.SECONDS.toMillis(ProgressLog.INTERVAL_SECONDS)) {
            LOG.log(System.Logger.Level.INFO, "start-up of {0}: {1} key files checked in {2} ms; removed {3} "
                    + "temporary files left by a crash", store.keysDir(), counts[0], elapsedMs, counts[2]);
        }
        return new Result(counts[0], counts[1], counts[2], counts[3]);
    }

    /** Checks one key file; returns its sequence, or -1 if it vanished. */
    private static long check(KeyFileStore store, Path file) throws IOException {
        KeyFileFormat.Header header;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            header = KeyFileFormat.readHeader(file, channel);
        } catch (NoSuchFileException e) {
            return -1;
        }
        Path expected = store.pathOf(header.key());
        if (!expected.equals(file)) {
            throw KeyFileFormat.corrupt(file, KeyFileFormat.HEADER_BYTES, "it holds key " + KeyBytes.wrap(header.key())
                    + ", whose file is " + expected + " (a file moved or renamed by hand, or a different fan-out)");
        }
        return header.sequence();
    }
}
