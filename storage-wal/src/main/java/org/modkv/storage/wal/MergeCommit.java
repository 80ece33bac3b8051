package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The durable decision that a merge's inputs are gone: a small file ({@code <id>.retire})
 * naming every input data file and hint file of a finished merge.
 *
 * <p>Why it exists: a merge drops a delete together with the older puts it hides, and they may
 * sit in different inputs. Deleting the inputs one by one is not atomic; a crash between two
 * deletions could leave an input with the old put while the input with the delete is already
 * gone, and the deleted key would come back on restart. So the merge first writes this file
 * (temporary name, fsync, rename, directory fsync), once every output is in place; from then on
 * the inputs are retired as a whole. Recovery {@linkplain #completeInterrupted finishes} any
 * retirement it finds before it reads a data file, and only then is the commit file removed.
 *
 * <p>Format: UTF-8 text, a header line, one file name per line, and a last line
 * {@code crc32c <hex>} over everything before it. A commit file that fails the check (or names
 * anything but a plain file of this directory) stops recovery with an error naming it: it was
 * written with fsync and renamed into place, so damage to it is damage to the disk, and guessing
 * could delete live data.
 *
 * <p>Threading: called by the merger (one merge at a time) and by recovery, before the engine
 * runs.
 */
final class MergeCommit {
    static final String SUFFIX = ".retire";
    private static final String HEADER = "modkv storage-wal merge commit v1";
    private static final String CRC_PREFIX = "crc32c ";
    private static final System.Logger LOG = System.getLogger(MergeCommit.class.getName());

    private MergeCommit() {
    }

    /**
     * Durably records that {@code fileNames} (plain names of files in {@code dir}) are to be
     * deleted, and returns the commit file, to be passed to {@link #done} once they are.
     */
    static Path write(Path dir, long id, List<String> fileNames) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (String name : fileNames) {
            checkPlainName(name, dir);
            text.append(name).append('\n');
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] crcLine = (CRC_PREFIX + Long.toHexString(crc(body, body.length)) + "\n").getBytes(StandardCharsets.UTF_8);
        String name = String.format(Locale.ROOT, "%020d%s", id, SUFFIX);
        Path temp = dir.resolve(name + DataFile.TEMP_SUFFIX);
        Path target = dir.resolve(name);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(body.length + crcLine.length).put(body).put(crcLine).flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        DataFiles.syncDirectory(dir);
        return target;
    }

    /** Removes a commit file whose files are all deleted (and the deletions made durable). */
    static void done(Path commit) throws IOException {
        Files.deleteIfExists(commit);
        DataFiles.syncDirectory(commit.getParent());
    }

    /**
     * Finishes every retirement a crash interrupted: deletes the files each commit file in
     * {@code dir} names, then the commit file. Returns how many commit files it found.
     *
     * @throws IOException if a commit file is damaged (the message names it) or a file cannot be
     *     deleted
     */
    static int completeInterrupted(Path dir) throws IOException {
        List<Path> commits = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            entries.forEach(commits::add);
        }
        for (Path commit : commits) {
            List<String> names = read(commit);
            for (String name : names) {
                Files.deleteIfExists(dir.resolve(name));
            }
            DataFiles.syncDirectory(dir);
            LOG.log(System.Logger.Level.INFO, "finished retiring " + names.size() + " merged-away files listed in "
                    + commit + " (the node stopped while deleting them)");
            done(commit);
        }
        return commits.size();
    }

    static List<String> read(Path commit) throws IOException {
        byte[] bytes = Files.readAllBytes(commit);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int crcLine = text.lastIndexOf(CRC_PREFIX);
        if (!text.startsWith(HEADER + "\n") || crcLine < 0 || !text.endsWith("\n")) {
            throw damaged(commit, "it does not have the header line and the closing crc32c line");
        }
        String expected = text.substring(crcLine + CRC_PREFIX.length(), text.length() - 1);
        int bodyBytes = text.substring(0, crcLine).getBytes(StandardCharsets.UTF_8).length;
        if (!expected.equals(Long.toHexString(crc(bytes, bodyBytes)))) {
            throw damaged(commit, "its crc32c does not match its contents");
        }
        List<String> names = new ArrayList<>();
        for (String line : text.substring(HEADER.length() + 1, crcLine).split("\n", -1)) {
            if (!line.isEmpty()) {
                try {
                    checkPlainName(line, commit.getParent());
                } catch (IllegalArgumentException e) {
                    throw damaged(commit, e.getMessage());
                }
                names.add(line);
            }
        }
        return names;
    }

    private static void checkPlainName(String name, Path dir) {
        Path resolved = dir.resolve(name).normalize();
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || !dir.equals(resolved.getParent())
                || name.endsWith(SUFFIX)) {
            throw new IllegalArgumentException("'" + name + "' is not a data or hint file name of " + dir);
        }
    }

    private static IOException damaged(Path commit, String why) {
        return new IOException("merge commit file " + commit + " is damaged: " + why + ". It is written only after "
                + "a merge's outputs are in place and lists the merged-away files to delete; recovery will not guess "
                + "which. Delete the data and hint files it names that are still readable in it, then the file, or "
                + "restore the directory from a backup");
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
