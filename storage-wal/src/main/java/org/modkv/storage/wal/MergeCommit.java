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
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The durable decision that a merge happened: a small file ({@code <id>.retire}) naming the
 * merge's outputs, which are to be installed, and its inputs (data and hint files), which are
 * to be deleted.
 *
 * <p>Why it exists: a merge drops a delete together with the older puts it hides, and they may
 * sit in different inputs. Deleting the inputs one by one is not atomic; a crash between two
 * deletions could leave an input with the old put while the input with the delete is already
 * gone, and the deleted key would come back on restart. So the merge first writes this file
 * (temporary name, fsync, rename, directory fsync), once every output is written and fsync'd;
 * from then on the merge has happened, as a whole. Recovery {@linkplain #completeInterrupted
 * finishes} any commit it finds before it reads a data file, and only then is the commit file
 * removed.
 *
 * <p><b>Outputs.</b> Until its commit a merge output keeps its temporary name
 * ({@code <id>.merged.tmp}); the commit's outputs are renamed to {@code <id>.merged} after it.
 * So a {@code .merged} file always belongs to a committed merge, and an output that no commit
 * names is still a {@code .tmp} file, which recovery removes: the inputs it copied are all still
 * there. (Its hint, {@code <id>.hint}, is then left without a data file and removed too.)
 *
 * <p>Format: UTF-8 text, a header line, one line per file ({@code output <name>} or
 * {@code input <name>}), and a last line {@code crc32c <hex>} over everything before it. Version
 * 1 files (a header ending in {@code v1}, then bare input names) are still read. A commit file
 * that fails the check (or names anything but a data or hint file of this directory) stops
 * recovery with an error naming it: it was written with fsync and renamed into place, so damage
 * to it is damage to the disk, and guessing could delete live data.
 *
 * <p>Threading: called by the merger (one merge at a time) and by recovery, before the engine
 * runs.
 */
final class MergeCommit {
    static final String SUFFIX = ".retire";
    private static final String HEADER_V1 = "modkv storage-wal merge commit v1";
    private static final String HEADER = "modkv storage-wal merge commit v2";
    private static final String OUTPUT = "output ";
    private static final String INPUT = "input ";
    private static final String CRC_PREFIX = "crc32c ";
    private static final System.Logger LOG = System.getLogger(MergeCommit.class.getName());

    /**
     * What a commit file says.
     *
     * @param outputs names of the merge outputs ({@code <id>.merged}) to install
     * @param inputs names of the merged-away data and hint files to delete
     */
    record Contents(List<String> outputs, List<String> inputs) {
        Contents {
            outputs = List.copyOf(outputs);
            inputs = List.copyOf(inputs);
        }
    }

    private MergeCommit() {
    }

    /**
     * Durably records that the merge with {@code outputs} (plain names of merge outputs in
     * {@code dir}, each still at its temporary name) replaces {@code inputs} (plain names of
     * data and hint files in {@code dir}), and returns the commit file, to be passed to
     * {@link #done} once the outputs are installed and the inputs deleted.
     *
     * <p>If it fails, no commit file is left behind (as far as the file system lets it
     * delete one), so the merge can be undone.
     *
     * @throws IllegalArgumentException if a name is not a plain data or hint file name
     */
    static Path write(Path dir, long id, List<String> outputs, List<String> inputs, ChannelOpener opener)
            throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (String name : outputs) {
            checkOutputName(name, dir);
            text.append(OUTPUT).append(name).append('\n');
        }
        for (String name : inputs) {
            checkInputName(name, dir);
            text.append(INPUT).append(name).append('\n');
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] crcLine = (CRC_PREFIX + Long.toHexString(crc(body, body.length)) + "\n").getBytes(StandardCharsets.UTF_8);
        String name = String.format(Locale.ROOT, "%020d%s", id, SUFFIX);
        Path temp = dir.resolve(name + DataFile.TEMP_SUFFIX);
        Path target = dir.resolve(name);
        try {
            try (FileChannel channel = opener.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE))) {
                ByteBuffer buffer = ByteBuffer.allocate(body.length + crcLine.length).put(body).put(crcLine).flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            DataFiles.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            for (Path leftover : new Path[] {temp, target}) {
                try {
                    Files.deleteIfExists(leftover);
                } catch (IOException deleting) {
                    e.addSuppressed(deleting);
                }
            }
            throw e;
        }
        return target;
    }

    /** Removes a commit file whose outputs are installed and whose inputs are deleted (durably). */
    static void done(Path commit) throws IOException {
        Files.deleteIfExists(commit);
        DataFiles.syncDirectory(commit.getParent());
    }

    /**
     * Finishes every merge a crash interrupted after its commit, oldest first: installs the
     * outputs each commit file in {@code dir} names, deletes its inputs, then the commit file.
     * Returns how many commit files it found.
     *
     * @throws IOException if a commit file is damaged or names an output that is gone (the
     *     message names it; nothing of that commit is deleted), or a file cannot be renamed or
     *     deleted
     */
    static int completeInterrupted(Path dir) throws IOException {
        List<Path> commits = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            entries.forEach(commits::add);
        }
        commits.sort(null);
        for (Path commit : commits) {
            Contents contents = read(commit);
            for (String output : contents.outputs()) {
                install(dir, output, commit);
            }
            DataFiles.syncDirectory(dir);
            for (String name : contents.inputs()) {
                Files.deleteIfExists(dir.resolve(name));
            }
            DataFiles.syncDirectory(dir);
            LOG.log(System.Logger.Level.INFO, "finished a merge the node stopped in: installed "
                    + contents.outputs().size() + " outputs and deleted " + contents.inputs().size()
                    + " merged-away files listed in " + commit);
            done(commit);
        }
        return commits.size();
    }

    /** Renames a committed output from its temporary name to its own, unless that is done. */
    private static void install(Path dir, String output, Path commit) throws IOException {
        Path target = dir.resolve(output);
        Path temp = dir.resolve(output + DataFile.TEMP_SUFFIX);
        if (Files.exists(target)) {
            Files.deleteIfExists(temp);
        } else if (Files.exists(temp)) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
            throw new IOException("merge commit file " + commit + " names the merge output " + output + ", but "
                    + "neither it nor " + temp.getFileName() + " exists, so the files the merge replaced may hold the "
                    + "only copy of their data; recovery deleted nothing. Restore the output from a backup, or, if "
                    + "the merge's inputs listed in the commit file are all still there, delete the commit file");
        }
    }

    /** Reads and checks a commit file. */
    static Contents read(Path commit) throws IOException {
        byte[] bytes = Files.readAllBytes(commit);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int crcLine = text.lastIndexOf(CRC_PREFIX);
        String header = text.startsWith(HEADER + "\n") ? HEADER : text.startsWith(HEADER_V1 + "\n") ? HEADER_V1 : null;
        if (header == null || crcLine < 0 || !text.endsWith("\n")) {
            throw damaged(commit, "it does not have the header line and the closing crc32c line");
        }
        String expected = text.substring(crcLine + CRC_PREFIX.length(), text.length() - 1);
        int bodyBytes = text.substring(0, crcLine).getBytes(StandardCharsets.UTF_8).length;
        if (!expected.equals(Long.toHexString(crc(bytes, bodyBytes)))) {
            throw damaged(commit, "its crc32c does not match its contents");
        }
        List<String> outputs = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        Path dir = commit.getParent();
        for (String line : text.substring(header.length() + 1, crcLine).split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (header.equals(HEADER_V1)) {
                    checkInputName(line, dir);
                    inputs.add(line);
                } else if (line.startsWith(OUTPUT)) {
                    String name = line.substring(OUTPUT.length());
                    checkOutputName(name, dir);
                    outputs.add(name);
                } else if (line.startsWith(INPUT)) {
                    String name = line.substring(INPUT.length());
                    checkInputName(name, dir);
                    inputs.add(name);
                } else {
                    throw new IllegalArgumentException("the line '" + line + "' is neither 'output <name>' nor "
                            + "'input <name>'");
                }
            } catch (IllegalArgumentException e) {
                throw damaged(commit, e.getMessage());
            }
        }
        return new Contents(outputs, inputs);
    }

    /**
     * A merge input is a data file or a hint file of the directory: {@code <20 digits>} and
     * {@code .wal}, {@code .merged} or {@code .hint}. Checked by name alone, so the answer does
     * not depend on how {@code dir} is spelt.
     */
    private static void checkInputName(String name, Path dir) {
        if (DataFile.parseId(name, DataFile.Kind.SEGMENT) < 0 && DataFile.parseId(name, DataFile.Kind.MERGED) < 0
                && DataFile.parseNumber(name, HintFile.SUFFIX) < 0) {
            throw new IllegalArgumentException("'" + name + "' is not a data or hint file name of " + dir
                    + " (20 digits and .wal, .merged or .hint)");
        }
    }

    /** A merge output is named {@code <20 digits>.merged}. */
    private static void checkOutputName(String name, Path dir) {
        if (DataFile.parseId(name, DataFile.Kind.MERGED) < 0) {
            throw new IllegalArgumentException("'" + name + "' is not a merge output name of " + dir
                    + " (20 digits and .merged)");
        }
    }

    private static IOException damaged(Path commit, String why) {
        return new IOException("merge commit file " + commit + " is damaged: " + why + ". It is written only after "
                + "a merge's outputs are in place and lists the outputs to install and the merged-away files to "
                + "delete; recovery will not guess which. Install the outputs it names (rename <name>.tmp to <name>) "
                + "and delete the inputs it names that are still readable in it, then the file, or restore the "
                + "directory from a backup");
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
