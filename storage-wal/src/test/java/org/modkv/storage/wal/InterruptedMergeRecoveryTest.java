package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.options;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.WriteBatch;

/**
 * What a start finds after the node stopped in the middle of a merge. Merge outputs keep their
 * temporary names until the merge's commit: without a commit they are removed (with their
 * hints; the inputs are all still there), with one they are installed. Hint files of data files
 * that are there stay.
 */
class InterruptedMergeRecoveryTest {
    private static final WalOptions SMALL_SEGMENTS = options("wal.segment.bytes", "4KiB", "wal.sync", "none");

    @TempDir
    Path temp;
    /** Sealed segments with their hints, before the merge. */
    private Path beforeMerge;
    /** The same directory after a merge of every sealed file. */
    private Path afterMerge;
    private Map<String, String> expected;

    @BeforeEach
    void mergeACopy() throws IOException {
        afterMerge = temp.resolve("after-merge");
        try (WalStorageEngine engine = open(afterMerge, SMALL_SEGMENTS)) {
            WriteBatch batch = new WriteBatch();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 80; i++) {
                    write(engine, batch.clear().put(bytes("k-" + i), bytes("round-" + round + "-" + "v".repeat(90))));
                }
            }
            for (int i = 0; i < 80; i += 5) {
                write(engine, batch.clear().delete(bytes("k-" + i)));
            }
            engine.merger().writeMissingHints();
        }
        beforeMerge = WalFiles.copyDir(afterMerge, temp.resolve("before-merge"));
        try (WalStorageEngine engine = open(afterMerge, SMALL_SEGMENTS)) {
            engine.mergeNow();
            expected = contents(engine);
        }
        assertFalse(merged(afterMerge).isEmpty());
    }

    private static Map<String, String> contents(WalStorageEngine engine) throws IOException {
        Map<String, String> out = new TreeMap<>();
        engine.scan(r -> out.put(new String(r.key()), new String(r.value())));
        return out;
    }

    private static List<Path> merged(Path dir) throws IOException {
        return WalFiles.filesEndingWith(dir, DataFile.Kind.MERGED.suffix);
    }

    private static long id(Path file, DataFile.Kind kind) {
        return DataFile.parseId(file.getFileName().toString(), kind);
    }

    /** Copies the merge's outputs into {@code crashed} under their temporary names, with their hints. */
    private List<String> plantOutputsUnderTemporaryNames(Path crashed) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path output : merged(afterMerge)) {
            String name = output.getFileName().toString();
            Files.copy(output, crashed.resolve(name + DataFile.TEMP_SUFFIX));
            Path hint = HintFile.path(afterMerge, id(output, DataFile.Kind.MERGED));
            Files.copy(hint, crashed.resolve(hint.getFileName()));
            names.add(name);
        }
        return names;
    }

    /** The hint files of sealed segments in {@code dir}, with their bytes. */
    private static Map<String, byte[]> segmentHints(Path dir) throws IOException {
        Map<String, byte[]> hints = new TreeMap<>();
        for (Path segment : WalFiles.segments(dir)) {
            Path hint = HintFile.path(dir, id(segment, DataFile.Kind.SEGMENT));
            if (Files.exists(hint)) {
                hints.put(hint.getFileName().toString(), Files.readAllBytes(hint));
            }
        }
        return hints;
    }

    @Test
    void theOutputsOfAMergeThatDidNotCommitAreRemovedAndTheLiveHintsKept() throws IOException {
        Path crashed = WalFiles.copyDir(beforeMerge, temp.resolve("crashed"));
        List<String> outputs = plantOutputsUnderTemporaryNames(crashed);
        Files.writeString(crashed.resolve(HintFile.fileName(99_999)), "a hint whose data file is gone");
        Files.writeString(crashed.resolve(HintFile.fileName(99_998) + DataFile.TEMP_SUFFIX), "an unfinished hint");
        Files.writeString(crashed.resolve("00000000000000099997" + MergeCommit.SUFFIX + DataFile.TEMP_SUFFIX),
                "an unfinished commit");
        Map<String, byte[]> liveHints = segmentHints(crashed);
        assertFalse(liveHints.isEmpty(), "the sealed segments have hints");
        List<Path> segments = WalFiles.segments(crashed);

        try (WalStorageEngine engine = open(crashed, SMALL_SEGMENTS)) {
            assertEquals(expected, contents(engine));
            assertEquals(expected.size(), engine.keyCount());
        }

        assertTrue(WalFiles.filesEndingWith(crashed, DataFile.TEMP_SUFFIX).isEmpty(), "no temporary file is left");
        assertTrue(merged(crashed).isEmpty(), "no merge output was installed without a commit");
        for (String output : outputs) {
            long id = DataFile.parseId(output, DataFile.Kind.MERGED);
            assertFalse(Files.exists(HintFile.path(crashed, id)), "the hint of " + output + " is removed");
        }
        assertFalse(Files.exists(crashed.resolve(HintFile.fileName(99_999))));
        assertEquals(segments, WalFiles.segments(crashed), "every input is still there");
        Map<String, byte[]> hintsAfter = segmentHints(crashed);
        assertEquals(liveHints.keySet(), hintsAfter.keySet(), "the hints of the segments are kept");
        liveHints.forEach((name, bytes) -> assertArrayEquals(bytes, hintsAfter.get(name), name));

        try (WalStorageEngine engine = open(crashed, SMALL_SEGMENTS)) {
            engine.mergeNow();
            assertEquals(expected, contents(engine));
        }
    }

    /**
     * The directory as a kill leaves it at the last moment before the merge's commit file is
     * written (copied from inside the merge, when the commit file is opened): the outputs are
     * all written, but nothing says the merge happened, so the start removes them.
     */
    @Test
    void aNodeKilledJustBeforeAMergeCommitsRestartsWithoutTheMergesOutputs() throws IOException {
        Path dir = WalFiles.copyDir(beforeMerge, temp.resolve("merging"));
        Path killed = temp.resolve("killed");
        FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
        faults.failWritesOfFilesOpened = path -> {
            if (path.getFileName().toString().endsWith(MergeCommit.SUFFIX + DataFile.TEMP_SUFFIX)) {
                try {
                    WalFiles.copyDir(dir, killed);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return false;
        };
        try (WalStorageEngine engine = WalStorageEngine.open(dir, SMALL_SEGMENTS, faults.opener())) {
            engine.mergeNow();
            assertEquals(expected, contents(engine));
        }
        assertFalse(WalFiles.filesEndingWith(killed, DataFile.TEMP_SUFFIX).isEmpty(), "the outputs were written");
        List<Path> segments = WalFiles.segments(killed);

        try (WalStorageEngine engine = open(killed, SMALL_SEGMENTS)) {
            assertEquals(expected, contents(engine));
            assertEquals(expected.size(), engine.keyCount());
        }
        assertTrue(merged(killed).isEmpty(), "no output of the merge is kept: every input is still there");
        assertTrue(WalFiles.filesEndingWith(killed, DataFile.TEMP_SUFFIX).isEmpty());
        assertEquals(segments, WalFiles.segments(killed));
        for (Path hint : WalFiles.filesEndingWith(killed, HintFile.SUFFIX)) {
            long id = DataFile.parseNumber(hint.getFileName().toString(), HintFile.SUFFIX);
            assertTrue(Files.exists(killed.resolve(DataFile.fileName(id, DataFile.Kind.SEGMENT))),
                    "every hint left belongs to a segment: " + hint);
        }
    }

    @Test
    void theOutputsOfACommittedMergeAreInstalledAndItsInputsDeleted() throws IOException {
        Path crashed = WalFiles.copyDir(beforeMerge, temp.resolve("crashed"));
        List<String> outputs = plantOutputsUnderTemporaryNames(crashed);
        List<String> inputs = new ArrayList<>();
        for (Path segment : WalFiles.segments(beforeMerge)) {
            if (!Files.exists(afterMerge.resolve(segment.getFileName()))) {
                inputs.add(segment.getFileName().toString());
                inputs.add(HintFile.fileName(id(segment, DataFile.Kind.SEGMENT)));
            }
        }
        assertTrue(inputs.size() >= 4, "the merge replaced several segments: " + inputs);
        MergeCommit.write(crashed, 99_999, outputs, inputs, ChannelOpener.DEFAULT);

        try (WalStorageEngine engine = open(crashed, SMALL_SEGMENTS)) {
            assertEquals(expected, contents(engine));
        }

        for (String output : outputs) {
            assertTrue(Files.exists(crashed.resolve(output)), output + " is installed");
        }
        for (String input : inputs) {
            assertFalse(Files.exists(crashed.resolve(input)), input + " is deleted");
        }
        assertTrue(WalFiles.filesEndingWith(crashed, MergeCommit.SUFFIX).isEmpty(), "the commit file is removed");
        assertTrue(WalFiles.filesEndingWith(crashed, DataFile.TEMP_SUFFIX).isEmpty());
    }

    @Test
    void aCommitNamingAnOutputThatIsGoneStopsRecoveryAndDeletesNothing() throws IOException {
        Path crashed = WalFiles.copyDir(beforeMerge, temp.resolve("crashed"));
        List<Path> segments = WalFiles.segments(crashed);
        String missing = DataFile.fileName(99_990, DataFile.Kind.MERGED);
        Path commit = MergeCommit.write(crashed, 99_999, List.of(missing),
                List.of(segments.get(0).getFileName().toString()), ChannelOpener.DEFAULT);

        IOException error = assertThrows(IOException.class, () -> open(crashed, SMALL_SEGMENTS).close());
        assertTrue(error.getMessage().contains(commit.toString()) && error.getMessage().contains(missing),
                error.getMessage());
        assertEquals(segments, WalFiles.segments(crashed), "nothing deleted");
        assertTrue(Files.exists(commit));
    }
}
