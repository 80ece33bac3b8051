package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.options;
import static org.modkv.storage.wal.WalTestSupport.put;
import static org.modkv.storage.wal.WalTestSupport.value;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.WriteBatch;

class SegmentMergerTest {
    /** Merge semantics, not fsync, are under test here: wal.sync=none keeps the many small writes quick. */
    private static final WalOptions SMALL_SEGMENTS = options("wal.segment.bytes", "4KiB", "wal.sync", "none");

    @TempDir
    Path temp;

    private static long stat(WalStorageEngine engine, String name) {
        return ((Number) engine.stats().get(name)).longValue();
    }

    private static String filler(int i) {
        return "value-" + i + "-" + "x".repeat(100);
    }

    private static void fill(WalStorageEngine engine, String prefix, int count) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < count; i++) {
            write(engine, batch.clear().put(bytes(prefix + i), bytes(filler(i))));
        }
    }

    private static void assertFilled(WalStorageEngine engine, String prefix, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            assertEquals(filler(i), value(engine, prefix + i), prefix + i);
        }
    }

    /**
     * Puts {@code doomed}, fills {@code count} keys {@code a-*}, deletes {@code doomed}, fills
     * {@code count} keys {@code b-*}: with small segments the put and its delete land in
     * different segments.
     */
    private static void putFillDeleteFill(WalStorageEngine engine, int count) {
        put(engine, "doomed", "v");
        fill(engine, "a-", count);
        write(engine, new WriteBatch().delete(bytes("doomed")));
        fill(engine, "b-", count);
    }

    private static Map<String, String> contents(WalStorageEngine engine) throws IOException {
        Map<String, String> out = new TreeMap<>();
        engine.scan(r -> out.put(new String(r.key()), new String(r.value())));
        return out;
    }

    @Test
    void deletedKeyStaysDeletedAfterMergeAndRestart() throws IOException {
        Path dir = temp.resolve("engine");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            putFillDeleteFill(engine, 100);
            engine.mergeNow();
            assertNull(value(engine, "doomed"));
            assertTrue(stat(engine, "merges") >= 1);
        }
        for (int restart = 0; restart < 2; restart++) {
            try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
                assertNull(value(engine, "doomed"), "restart " + restart);
                assertFilled(engine, "a-", 100);
                assertFilled(engine, "b-", 100);
                assertEquals(200, engine.keyCount());
                engine.mergeNow();
            }
        }
    }

    @Test
    void deleteSurvivesAMergeWhileAnOlderFileStillHoldsThePut() throws IOException {
        Path dir = temp.resolve("engine");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            put(engine, "doomed", "v");
            fill(engine, "a-", 100);
            write(engine, new WriteBatch().delete(bytes("doomed")));
            fill(engine, "b-", 100);
            List<DataFile> sealed = new ArrayList<>(engine.files().all());
            sealed.remove(engine.files().active());
            DataFile holdingThePut = sealed.get(0);
            List<DataFile> later = sealed.subList(1, sealed.size());

            engine.merger().merge(later);

            assertTrue(Files.exists(holdingThePut.path()), "the older file with the put is still there");
        }
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            assertNull(value(engine, "doomed"), "the kept delete still hides the older put after a restart");
            assertFilled(engine, "a-", 100);
            engine.mergeNow();
        }
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            assertNull(value(engine, "doomed"), "after merging everything, put and delete are both gone");
            assertEquals(200, engine.keyCount());
        }
    }

    @Test
    void tenThousandKeysWithOverwritesMergeReclaimsDeadBytesAndKeepsEverythingAcrossRestart() throws IOException {
        Path dir = temp.resolve("engine");
        WalOptions options = options("wal.segment.bytes", "64KiB");
        Map<String, String> expected = new TreeMap<>();
        try (WalStorageEngine engine = open(dir, options)) {
            WriteBatch batch = new WriteBatch();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 10_000; i += 50) {
                    batch.clear();
                    for (int j = i; j < i + 50; j++) {
                        String value = "round-" + round + "-value-" + j;
                        batch.put(bytes("key-" + j), bytes(value));
                        expected.put("key-" + j, value);
                    }
                    write(engine, batch);
                }
            }
            batch.clear();
            for (int i = 0; i < 10_000; i += 7) {
                batch.delete(bytes("key-" + i));
                expected.remove("key-" + i);
            }
            write(engine, batch);
            long deadBefore = stat(engine, "dead_bytes");
            long totalBefore = stat(engine, "total_bytes");
            int filesBefore = engine.files().all().size();

            engine.mergeNow();

            long deadAfter = stat(engine, "dead_bytes");
            assertTrue(deadAfter < deadBefore / 2, "dead bytes " + deadBefore + " -> " + deadAfter);
            assertTrue(stat(engine, "total_bytes") < totalBefore / 2, "total bytes " + totalBefore + " -> "
                    + stat(engine, "total_bytes"));
            assertTrue(engine.files().all().size() < filesBefore);
            assertTrue(stat(engine, "merge_reclaimed_bytes") > 0);
            assertEquals(expected, contents(engine));
            put(engine, "after-merge", "yes");
            expected.put("after-merge", "yes");
        }
        try (WalStorageEngine engine = open(dir, options)) {
            assertEquals(expected, contents(engine));
            assertEquals(expected.size(), engine.keyCount());
        }
    }

    @Test
    void restartLoadsHintsInsteadOfReplayingMergedFiles() throws IOException {
        Path dir = temp.resolve("engine");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            fill(engine, "k-", 200);
            engine.mergeNow();
        }
        List<Path> merged = WalFiles.filesEndingWith(dir, DataFile.Kind.MERGED.suffix);
        assertFalse(merged.isEmpty());
        Path damaged = merged.get(0);
        WalFiles.flipBit(damaged, Files.size(damaged) - 3, 0);

        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            assertEquals(200, engine.keyCount(), "opened from the hint: the merged data was not replayed");
        }
        Files.delete(HintFile.path(dir, DataFile.parseId(damaged.getFileName().toString(), DataFile.Kind.MERGED)));
        IOException refused = assertThrows(IOException.class, () -> open(dir, SMALL_SEGMENTS));
        assertTrue(refused.getMessage().contains(damaged.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("checksum mismatch"), refused.getMessage());
    }

    @Test
    void damagedHintIsIgnoredAndItsDataFileReplayed() throws IOException {
        Path dir = temp.resolve("engine");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            fill(engine, "k-", 200);
            engine.mergeNow();
        }
        List<Path> hints = WalFiles.filesEndingWith(dir, HintFile.SUFFIX);
        assertFalse(hints.isEmpty());
        for (Path hint : hints) {
            WalFiles.flipBit(hint, Files.size(hint) / 2, 4);
        }

        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            assertFilled(engine, "k-", 200);
            assertEquals(200, engine.keyCount());
        }
    }

    @Test
    void inputsAndOutputsBothPresentAfterACrashInTheMiddleOfAMergeRecoverTheSameContent() throws IOException {
        Path dir = temp.resolve("engine");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            fill(engine, "k-", 150);
            fill(engine, "k-", 100);
            for (int i = 0; i < 150; i += 3) {
                write(engine, new WriteBatch().delete(bytes("k-" + i)));
            }
        }
        Path beforeMerge = WalFiles.copyDir(dir, temp.resolve("before-merge"));
        Map<String, String> expected;
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            engine.mergeNow();
            expected = contents(engine);
        }
        for (Path output : WalFiles.filesEndingWith(dir, DataFile.Kind.MERGED.suffix)) {
            Files.copy(output, beforeMerge.resolve(output.getFileName()));
        }
        Files.writeString(beforeMerge.resolve(DataFile.fileName(999, DataFile.Kind.MERGED) + DataFile.TEMP_SUFFIX),
                "an unfinished merge output");

        try (WalStorageEngine engine = open(beforeMerge, SMALL_SEGMENTS)) {
            assertEquals(expected, contents(engine));
            assertEquals(expected.size(), engine.keyCount());
            engine.mergeNow();
            assertEquals(expected, contents(engine));
        }
        assertTrue(WalFiles.filesEndingWith(beforeMerge, DataFile.TEMP_SUFFIX).isEmpty(), "leftovers removed");
    }

    /**
     * The node dies while a merge deletes its inputs, after the input holding a delete is gone
     * but before the older input holding the put it hides is: the merge commit file written
     * before the deletions makes recovery finish them, so the key stays deleted. (Without it
     * the put came back: the crash soak found this.)
     */
    @Test
    void deletedKeyStaysDeletedWhenTheNodeDiesWhileAMergeDeletesItsInputs() throws IOException {
        Path dir = temp.resolve("engine");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            putFillDeleteFill(engine, 60);
        }
        Path crashed = WalFiles.copyDir(dir, temp.resolve("crashed"));
        Map<String, String> expected;
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            engine.mergeNow();
            expected = contents(engine);
            assertNull(expected.get("doomed"));
        }
        assertTrue(WalFiles.filesEndingWith(dir, MergeCommit.SUFFIX).isEmpty(), "a finished merge leaves no commit");

        List<Path> inputs = new ArrayList<>();
        for (Path segment : WalFiles.segments(crashed)) {
            if (!Files.exists(dir.resolve(segment.getFileName()))) {
                inputs.add(segment);
            }
        }
        assertTrue(inputs.size() >= 3, "the merge consumed several segments: " + inputs);
        List<String> names = new ArrayList<>();
        for (Path input : inputs) {
            names.add(input.getFileName().toString());
            names.add(HintFile.fileName(DataFile.parseId(input.getFileName().toString(), DataFile.Kind.SEGMENT)));
        }
        List<String> outputs = new ArrayList<>();
        for (Path output : WalFiles.filesEndingWith(dir, DataFile.Kind.MERGED.suffix)) {
            Files.copy(output, crashed.resolve(output.getFileName()));
            outputs.add(output.getFileName().toString());
        }
        MergeCommit.write(crashed, 10_000, outputs, names, ChannelOpener.DEFAULT);
        Path oldestInput = inputs.get(0);
        for (Path input : inputs.subList(1, inputs.size())) {
            Files.delete(input);
        }

        try (WalStorageEngine engine = open(crashed, SMALL_SEGMENTS)) {
            assertNull(value(engine, "doomed"), "the deleted key came back");
            assertEquals(expected, contents(engine));
        }
        assertFalse(Files.exists(oldestInput), "recovery finished retiring the merge's inputs");
        assertTrue(WalFiles.filesEndingWith(crashed, MergeCommit.SUFFIX).isEmpty(), "the commit file is removed");
    }

    @Test
    void damagedMergeCommitStopsRecoveryAndDeletesNothing() throws IOException {
        Path dir = temp.resolve("engine");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            fill(engine, "a-", 60);
        }
        List<Path> segments = WalFiles.segments(dir);
        Path commit = MergeCommit.write(dir, 10_000, List.of(), List.of(segments.get(0).getFileName().toString()),
                ChannelOpener.DEFAULT);
        WalFiles.flipBit(commit, 40, 1);

        IOException error = assertThrows(IOException.class, () -> open(dir, SMALL_SEGMENTS).close());
        assertTrue(error.getMessage().contains(commit.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("crc32c"), error.getMessage());
        assertEquals(segments, WalFiles.segments(dir), "nothing deleted");
    }

    @Test
    void lastSequenceSurvivesAMergeThatDropsEveryEntry() throws IOException {
        Path dir = temp.resolve("engine");
        WalOptions tiny = options("wal.segment.bytes", "1KiB");
        long last;
        try (WalStorageEngine engine = open(dir, tiny)) {
            for (int i = 0; i < 20; i++) {
                put(engine, "k", "x".repeat(200));
            }
            write(engine, new WriteBatch().delete(bytes("k")));
            put(engine, "roll", "x".repeat(2000));
            write(engine, new WriteBatch().delete(bytes("roll")));
            last = engine.lastSequence();
            engine.mergeNow();
        }
        try (WalStorageEngine engine = open(dir, tiny)) {
            assertEquals(last, engine.lastSequence());
            assertEquals(0, engine.keyCount());
            assertTrue(put(engine, "next", "n") > last);
        }
    }

    @Test
    void aRoundHintsOnlyTheSealedSegmentsItDoesNotMerge() throws IOException {
        Path dir = temp.resolve("engine");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            fill(engine, "keep-", 100); // segments of distinct keys: no dead bytes
            for (int round = 0; round < 10; round++) {
                fill(engine, "hot-", 10); // segments that overwrite the same keys: mostly dead
            }
            int merged = 0;
            int hinted = 0;
            for (DataFile file : engine.files().all()) {
                if (file != engine.files().active() && file.isSealed()) {
                    if (file.deadBytes() >= 0.5 * file.entryBytes() && file.deadBytes() > 0) {
                        merged++;
                    } else {
                        hinted++;
                    }
                }
            }
            assertTrue(merged > 0 && hinted > 0, "both kinds of sealed segment: " + merged + " / " + hinted);
            assertTrue(engine.merger().runOnce(0.5, 1));
            assertEquals(hinted, stat(engine, "segment_hints_written"), "only the segments left alone are hinted");
            assertEquals(1, stat(engine, "merges"));
            assertEquals(0, engine.merger().writeMissingHints(), "every sealed segment left has its hint");
            assertFilled(engine, "keep-", 100);
            assertFilled(engine, "hot-", 10);
        }
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            assertFilled(engine, "keep-", 100);
            assertFilled(engine, "hot-", 10);
            assertEquals(110, engine.keyCount());
        }
    }

    @Test
    void backgroundMergerMergesOnItsOwnAndWritesHints() throws Exception {
        Path dir = temp.resolve("engine");
        WalOptions options = options("wal.segment.bytes", "4KiB", "wal.sync", "none", "wal.merge.interval.ms", "20",
                "wal.merge.trigger.ratio", "0.3");
        try (WalStorageEngine engine = open(dir, options)) {
            for (int round = 0; round < 20; round++) {
                fill(engine, "k-", 50);
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (stat(engine, "merges") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(stat(engine, "merges") > 0, "the background merger ran");
            assertFilled(engine, "k-", 50);
            assertEquals(50, engine.keyCount());
        }
        assertFalse(WalFiles.filesEndingWith(dir, HintFile.SUFFIX).isEmpty());
        try (WalStorageEngine engine = open(dir, options)) {
            assertFilled(engine, "k-", 50);
        }
    }

    @Test
    void readersAndWritersRacingMergesNeverMissAKey() throws Exception {
        Path dir = temp.resolve("engine");
        int keys = 64;
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < keys; i++) {
                batch.put(bytes("k-" + i), bytes("0"));
            }
            write(engine, batch);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                WriteBatch b = new WriteBatch();
                for (int round = 1; !stop.get() && failure.get() == null; round++) {
                    b.clear();
                    for (int i = 0; i < keys; i++) {
                        b.put(bytes("k-" + i), bytes(Integer.toString(round) + "-" + "p".repeat(64)));
                    }
                    try {
                        write(engine, b);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }
            });
            Thread reader = new Thread(() -> {
                while (!stop.get() && failure.get() == null) {
                    for (int i = 0; i < keys; i++) {
                        try {
                            if (value(engine, "k-" + i) == null) {
                                failure.compareAndSet(null, new AssertionError("k-" + i + " went missing"));
                            }
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        }
                    }
                }
            });
            writer.start();
            reader.start();
            for (int merge = 0; merge < 10 && failure.get() == null; merge++) {
                Thread.sleep(30);
                engine.mergeNow();
            }
            stop.set(true);
            writer.join();
            reader.join();
            assertNull(failure.get());
            assertEquals(keys, engine.keyCount());
        }
    }
}
