package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.options;
import static org.modkv.storage.wal.WalTestSupport.put;
import static org.modkv.storage.wal.WalTestSupport.value;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.DurableLog;

class WalDurableLogTest {
    private static final WalOptions SMALL_SEGMENTS = options("wal.segment.bytes", "1KiB");

    @TempDir
    Path dir;

    private static DurableLog raftLog(WalStorageEngine engine) throws IOException {
        return engine.openLog("raft").orElseThrow();
    }

    private static byte[] entry(long index) {
        return bytes("entry-" + index + "-" + "e".repeat((int) (index % 37)));
    }

    private static long append(DurableLog log, byte[] entry) throws Exception {
        return log.append(entry).get(60, TimeUnit.SECONDS);
    }

    private static void appendAll(DurableLog log, long from, long to) throws Exception {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            futures.add(log.append(entry(i)));
        }
        for (int i = 0; i < futures.size(); i++) {
            assertEquals(from + i, futures.get(i).get(60, TimeUnit.SECONDS));
        }
    }

    private static void assertEntries(DurableLog log, long first, long last) throws IOException {
        assertEquals(first, log.firstIndex());
        assertEquals(last, log.lastIndex());
        for (long i = first; i <= last; i++) {
            assertArrayEquals(entry(i), log.read(i), "entry " + i);
        }
    }

    @Test
    void appendsAreNumberedFromOneReadableAndSurviveReopen() throws Exception {
        try (WalStorageEngine engine = open(dir)) {
            DurableLog log = raftLog(engine);
            assertEquals(1, log.firstIndex());
            assertEquals(0, log.lastIndex());
            appendAll(log, 1, 200);
            assertEntries(log, 1, 200);
            assertSame(log, raftLog(engine), "one log per name");
        }
        try (WalStorageEngine engine = open(dir)) {
            DurableLog log = raftLog(engine);
            assertEntries(log, 1, 200);
            assertEquals(201, append(log, entry(201)));
        }
    }

    @Test
    void appendsShareTheGroupCommitWithWrites() throws Exception {
        try (WalStorageEngine engine = open(dir)) {
            DurableLog log = raftLog(engine);
            long fsyncsBefore = ((Number) engine.stats().get("fsyncs")).longValue();
            List<CompletableFuture<Long>> appends = new ArrayList<>();
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int i = 1; i <= 2000; i++) {
                appends.add(log.append(entry(i)));
                writes.add(engine.write(new org.modkv.api.storage.WriteBatch().put(bytes("k" + i), bytes("v")),
                        org.modkv.api.storage.Durability.DURABLE));
            }
            for (int i = 0; i < appends.size(); i++) {
                assertEquals(i + 1, appends.get(i).get(60, TimeUnit.SECONDS));
                writes.get(i).get(60, TimeUnit.SECONDS);
            }
            long fsyncs = ((Number) engine.stats().get("fsyncs")).longValue() - fsyncsBefore;
            assertTrue(fsyncs < 2000, "4000 durable operations took " + fsyncs + " fsyncs");
            assertEquals(2000, engine.keyCount());
        }
    }

    @Test
    void truncateSuffixRemovesEntriesDurablyAndAppendsContinueFromThere() throws Exception {
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            DurableLog log = raftLog(engine);
            appendAll(log, 1, 120);
            log.truncateSuffix(41);
            assertEntries(log, 1, 40);
            assertThrows(IllegalArgumentException.class, () -> log.read(41));
            assertEquals(41, append(log, bytes("replacement-41")));
            log.truncateSuffix(500);
            assertEquals(41, log.lastIndex(), "truncating past the end changes nothing");
        }
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            DurableLog log = raftLog(engine);
            assertEquals(41, log.lastIndex());
            assertArrayEquals(bytes("replacement-41"), log.read(41));
            for (long i = 1; i <= 40; i++) {
                assertArrayEquals(entry(i), log.read(i));
            }
        }
    }

    @Test
    void truncatePrefixDropsOldSegmentsAndIsRememberedAcrossReopen() throws Exception {
        Path logDir = dir.resolve("log-raft");
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            DurableLog log = raftLog(engine);
            appendAll(log, 1, 150);
            long segmentsBefore = WalFiles.filesEndingWith(logDir, ".log").size();
            log.truncatePrefix(100);
            assertEquals(100, log.firstIndex());
            assertThrows(IllegalArgumentException.class, () -> log.read(99));
            assertEntries(log, 100, 150);
            assertTrue(WalFiles.filesEndingWith(logDir, ".log").size() < segmentsBefore, "old segments deleted");
        }
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            DurableLog log = raftLog(engine);
            assertEntries(log, 100, 150);
            appendAll(log, 151, 160);
        }
    }

    @Test
    void truncatePrefixBeyondTheEndStartsTheLogOverAtThatIndex() throws Exception {
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            DurableLog log = raftLog(engine);
            appendAll(log, 1, 30);
            log.truncatePrefix(1000);
            assertEquals(1000, log.firstIndex());
            assertEquals(999, log.lastIndex());
            assertEquals(1000, append(log, entry(1000)));
        }
        try (WalStorageEngine engine = open(dir, SMALL_SEGMENTS)) {
            DurableLog log = raftLog(engine);
            assertEntries(log, 1000, 1000);
        }
    }

    @Test
    void largeEntriesRoundTrip() throws Exception {
        byte[] large = new byte[3 << 20];
        new Random(5).nextBytes(large);
        try (WalStorageEngine engine = open(dir)) {
            DurableLog log = raftLog(engine);
            append(log, entry(1));
            assertEquals(2, append(log, large));
            append(log, entry(3));
            assertArrayEquals(large, log.read(2));
        }
        try (WalStorageEngine engine = open(dir)) {
            DurableLog log = raftLog(engine);
            assertArrayEquals(large, log.read(2));
            assertArrayEquals(entry(3), log.read(3));
        }
    }

    @Test
    void tornTailOfTheLastLogSegmentIsCutOnReopen() throws Exception {
        try (WalStorageEngine engine = open(dir)) {
            appendAll(raftLog(engine), 1, 10);
        }
        Path segment = WalFiles.filesEndingWith(dir.resolve("log-raft"), ".log").get(0);
        WalFiles.truncate(segment, Files.size(segment) - 3);

        try (WalStorageEngine engine = open(dir)) {
            DurableLog log = raftLog(engine);
            assertEntries(log, 1, 9);
            assertEquals(10, append(log, entry(10)));
        }
        try (WalStorageEngine engine = open(dir)) {
            assertEntries(raftLog(engine), 1, 10);
        }
    }

    @Test
    void flippedBitInTheMiddleOfALogRefusesToOpenIt() throws Exception {
        try (WalStorageEngine engine = open(dir)) {
            appendAll(raftLog(engine), 1, 10);
        }
        Path segment = WalFiles.filesEndingWith(dir.resolve("log-raft"), ".log").get(0);
        List<Long> offsets = WalFiles.recordOffsets(segment);
        WalFiles.flipBit(segment, offsets.get(3) + 20, 2);

        try (WalStorageEngine engine = open(dir)) {
            IOException e = assertThrows(IOException.class, () -> raftLog(engine));
            assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("corrupt at byte offset " + offsets.get(3) + ":"), e.getMessage());
            put(engine, "the-key-space", "still works");
            assertEquals("still works", value(engine, "the-key-space"));
        }
    }

    @Test
    void logNamesAreCheckedAndClosedLogsRefuseAppends() throws Exception {
        try (WalStorageEngine engine = open(dir)) {
            assertThrows(IllegalArgumentException.class, () -> engine.openLog("../escape"));
            DurableLog log = raftLog(engine);
            append(log, entry(1));
            log.close();
            assertTrue(log.append(entry(2)).isCompletedExceptionally());
            DurableLog reopened = raftLog(engine);
            assertFalse(reopened == log);
            assertEntries(reopened, 1, 1);
        }
    }
}
