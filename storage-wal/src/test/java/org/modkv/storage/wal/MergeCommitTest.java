package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The merge commit file: which names it takes, and carrying it out after a crash. */
class MergeCommitTest {
    private static final String SEGMENT = DataFile.fileName(1, DataFile.Kind.SEGMENT);
    private static final String SEGMENT_HINT = HintFile.fileName(1);
    private static final String OUTPUT = DataFile.fileName(7, DataFile.Kind.MERGED);

    @TempDir
    Path temp;
    private Path relativeRoot;

    @AfterEach
    void removeRelativeDirectory() throws IOException {
        if (relativeRoot != null && Files.exists(relativeRoot)) {
            try (Stream<Path> files = Files.walk(relativeRoot)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * The directory spelt as {@code data.dir=./data} makes it: relative, with a {@code ./}
     * that normalizing drops. (Every merge of a node started with the default data.dir failed
     * here: the name check compared the directory with the normalized parent of the name.)
     */
    @Test
    void takesTheFileNamesOfADirectoryGivenAsARelativePath() throws IOException {
        relativeRoot = Path.of("target", "merge-commit-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path dir = Path.of(".").resolve(relativeRoot).resolve("storage-wal");
        assertFalse(dir.isAbsolute());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SEGMENT), "input");
        Files.writeString(dir.resolve(SEGMENT_HINT), "its hint");
        Files.writeString(dir.resolve(OUTPUT + DataFile.TEMP_SUFFIX), "output");

        Path commit = MergeCommit.write(dir, 8, List.of(OUTPUT), List.of(SEGMENT, SEGMENT_HINT),
                ChannelOpener.DEFAULT);
        assertEquals(new MergeCommit.Contents(List.of(OUTPUT), List.of(SEGMENT, SEGMENT_HINT)),
                MergeCommit.read(commit));

        assertEquals(1, MergeCommit.completeInterrupted(dir));
        assertEquals("output", Files.readString(dir.resolve(OUTPUT)), "the output is installed");
        assertFalse(Files.exists(dir.resolve(SEGMENT)));
        assertFalse(Files.exists(dir.resolve(SEGMENT_HINT)));
        assertFalse(Files.exists(commit));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../00000000000000000001.wal", "sub/00000000000000000001.wal",
            "00000000000000000001.retire", "00000000000000000001.wal.tmp", "1.wal", "LOCK"})
    void refusesAnInputThatIsNotADataOrHintFileName(String name) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MergeCommit.write(temp, 8, List.of(), List.of(name), ChannelOpener.DEFAULT));
        assertTrue(error.getMessage().contains("'" + name + "' is not a data or hint file name"), error.getMessage());
        assertTrue(error.getMessage().contains(".wal, .merged or .hint"), error.getMessage());
    }

    @Test
    void refusesAnOutputThatIsNotAMergeOutputName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MergeCommit.write(temp, 8, List.of(SEGMENT), List.of(), ChannelOpener.DEFAULT));
        assertTrue(error.getMessage().contains("is not a merge output name"), error.getMessage());
    }

    @Test
    void aCommitThatCannotBeWrittenLeavesNoFile() throws IOException {
        FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
        faults.failWrite.set(true);
        assertThrows(IOException.class, () -> MergeCommit.write(temp, 8, List.of(OUTPUT), List.of(SEGMENT),
                faults.opener()));
        try (Stream<Path> files = Files.list(temp)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void readsAVersionOneCommitAsInputsOnly() throws IOException {
        String body = "modkv storage-wal merge commit v1\n" + SEGMENT + "\n" + SEGMENT_HINT + "\n";
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Path commit = temp.resolve("00000000000000000008" + MergeCommit.SUFFIX);
        Files.writeString(commit, body + "crc32c " + Long.toHexString(crc.getValue()) + "\n");
        Files.writeString(temp.resolve(SEGMENT), "input");

        assertEquals(new MergeCommit.Contents(List.of(), List.of(SEGMENT, SEGMENT_HINT)), MergeCommit.read(commit));
        assertEquals(1, MergeCommit.completeInterrupted(temp));
        assertFalse(Files.exists(temp.resolve(SEGMENT)));
    }
}
