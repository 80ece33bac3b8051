package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.options;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.WriteBatch;

/**
 * A merge that fails takes itself back: its outputs, their hints and its temporary files are
 * gone, the key directory points at the inputs again, and every value reads as before. (Before,
 * each failed attempt left its outputs in place: a merge that failed every interval filled the
 * disk with {@code .merged} and {@code .hint} files.) And a merge that keeps failing shows in
 * the stats.
 */
class FailedMergeTest {
    /** Small outputs, so that a merge of the test's data writes several. */
    private static final WalOptions SMALL_SEGMENTS = options("wal.segment.bytes", "4KiB", "wal.sync", "none");

    @TempDir
    Path temp;

    private static long stat(WalStorageEngine engine, String name) {
        return ((Number) engine.stats().get(name)).longValue();
    }

    /** 200 keys, then 60 of them overwritten: about six outputs' worth of live data, and dead bytes. */
    private static void fill(WalStorageEngine engine) {
        WriteBatch batch = new WriteBatch();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < (round == 0 ? 200 : 60); i++) {
                write(engine, batch.clear().put(bytes("k-" + i), bytes("round-" + round + "-" + "v".repeat(100))));
            }
        }
    }

    private static Map<String, String> contents(WalStorageEngine engine) throws IOException {
        Map<String, String> out = new TreeMap<>();
        engine.scan(r -> out.put(new String(r.key()), new String(r.value())));
        return out;
    }

    private static Map<String, String> readEach(WalStorageEngine engine, Set<String> keys) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String key : keys) {
            out.put(key, WalTestSupport.value(engine, key));
        }
        return out;
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Predicate<Path> nameEndsWith(String suffix) {
        return path -> path.getFileName().toString().endsWith(suffix);
    }

    @Test
    void aMergeThatFailsWritingItsThirdOutputRemovesAllItsOutputsAndKeepsEveryValue() throws IOException {
        AtomicInteger outputsOpened = new AtomicInteger();
        mergeFailsAndIsTakenBack(path -> nameEndsWith(DataFile.Kind.MERGED.suffix + DataFile.TEMP_SUFFIX).test(path)
                && outputsOpened.incrementAndGet() == 3);
    }

    @Test
    void aMergeWhoseCommitCannotBeWrittenTakesBackEveryOutput() throws IOException {
        mergeFailsAndIsTakenBack(nameEndsWith(MergeCommit.SUFFIX + DataFile.TEMP_SUFFIX));
    }

    private void mergeFailsAndIsTakenBack(Predicate<Path> failingFile) throws IOException {
        Path dir = temp.resolve("engine");
        FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
        try (WalStorageEngine engine = WalStorageEngine.open(dir, SMALL_SEGMENTS, faults.opener())) {
            fill(engine);
            engine.merger().writeMissingHints();
            Map<String, String> expected = contents(engine);
            Set<String> filesBefore = fileNames(dir);
            long deadBefore = stat(engine, "dead_bytes");
            long liveBefore = stat(engine, "live_bytes");
            int registeredBefore = engine.files().all().size();

            faults.failWritesOfFilesOpened = failingFile;
            IOException failure = assertThrows(IOException.class, () -> engine.merger().mergeAll());
            faults.failWritesOfFilesOpened = path -> false;

            assertTrue(failure.getMessage().contains("injected write failure"), failure.toString());
            assertEquals(filesBefore, fileNames(dir), "the failed merge left no output, hint or temporary file");
            assertEquals(registeredBefore, engine.files().all().size());
            assertTrue(engine.files().all().stream().noneMatch(f -> f.kind() == DataFile.Kind.MERGED));
            assertEquals(expected, readEach(engine, expected.keySet()), "every key reads its value");
            assertEquals(expected, contents(engine));
            assertEquals(deadBefore, stat(engine, "dead_bytes"), "the keys point at the inputs again");
            assertEquals(liveBefore, stat(engine, "live_bytes"));
            assertEquals(0, stat(engine, "merges"));

            engine.merger().mergeAll();
            assertEquals(1, stat(engine, "merges"), "the next attempt merges");
            assertEquals(expected, readEach(engine, expected.keySet()));
            assertTrue(stat(engine, "dead_bytes") < deadBefore);
        }
        try (WalStorageEngine engine = WalStorageEngine.open(dir, SMALL_SEGMENTS, ChannelOpener.DEFAULT)) {
            assertEquals(200, engine.keyCount());
            assertEquals(200, contents(engine).size());
        }
    }

    @Test
    void aMergeThatKeepsFailingIsCountedAndShownUntilOneSucceeds() throws Exception {
        Path dir = temp.resolve("engine");
        FaultInjectingChannel.Faults faults = new FaultInjectingChannel.Faults();
        faults.failWritesOfFilesOpened = nameEndsWith(DataFile.Kind.MERGED.suffix + DataFile.TEMP_SUFFIX);
        WalOptions background = options("wal.segment.bytes", "4KiB", "wal.sync", "none",
                "wal.merge.interval.ms", "10", "wal.merge.trigger.ratio", "0.3");
        try (WalStorageEngine engine = WalStorageEngine.open(dir, background, faults.opener())) {
            assertEquals("yes", engine.stats().get("merge_reclaiming"));
            assertEquals("none", engine.stats().get("merge_last_error"));
            for (int round = 0; round < 5; round++) {
                fill(engine);
            }
            awaitStat(engine, "merge_failures", 3);

            Map<String, Object> failing = engine.stats();
            assertEquals("no", failing.get("merge_reclaiming"), failing.toString());
            assertTrue(((Number) failing.get("merge_failures_in_a_row")).longValue() >= 3, failing.toString());
            assertTrue(failing.get("merge_last_error").toString().contains("injected write failure"),
                    failing.toString());
            assertEquals(0L, failing.get("merges"));
            try (Stream<Path> files = Files.list(dir)) {
                assertFalse(files.anyMatch(nameEndsWith(DataFile.Kind.MERGED.suffix)), "no merge committed");
            }

            faults.failWritesOfFilesOpened = path -> false;
            awaitStat(engine, "merges", 1);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"yes".equals(engine.stats().get("merge_reclaiming")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Map<String, Object> recovered = engine.stats();
            assertEquals("yes", recovered.get("merge_reclaiming"), recovered.toString());
            assertEquals(0L, recovered.get("merge_failures_in_a_row"));
            assertTrue(((Number) recovered.get("merge_failures")).longValue() >= 3, "the count stays");
        }
    }

    @Test
    void mergingOffSaysSoInTheStats() throws IOException {
        try (WalStorageEngine engine = WalTestSupport.open(temp.resolve("engine"), options())) {
            assertEquals("off", engine.stats().get("merge_reclaiming"));
        }
    }

    /** Waits (bounded) until the stat is at least {@code atLeast}, then asserts it is. */
    private static void awaitStat(WalStorageEngine engine, String name, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (stat(engine, name) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(stat(engine, name) >= atLeast, name + " reached " + atLeast + ": " + engine.stats());
    }
}
