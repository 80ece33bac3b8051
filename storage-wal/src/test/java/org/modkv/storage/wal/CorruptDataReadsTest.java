package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.CheckpointReader;
import org.modkv.api.storage.CorruptDataException;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/**
 * Damaged data never leaves the engine as a value: bits flipped in a sealed segment, a merge
 * output or a merge's input are refused by every read path (a point read through a memory map,
 * a positional read, a scan, a checkpoint) with a {@link CorruptDataException} naming the file
 * and offset, counted in the stats, while every intact key still reads. The node restarts from
 * hint files, which never replays the data files: the reads themselves must check.
 */
class CorruptDataReadsTest {
    private static final int KEYS = 600;
    /** No prepared segments: which reads go through maps and which are positional stays simple. */
    private static final WalOptions OPTIONS = WalTestSupport.options("wal.segment.bytes", "2MiB", "wal.sync", "none",
            "wal.preallocate", "false");

    @TempDir
    Path dir;

    private static byte[] valueOf(int key) {
        byte[] value = new byte[5000 + key % 7];
        new Random(key).nextBytes(value);
        return value;
    }

    private static String key(int i) {
        return "key-" + i;
    }

    /** 600 values of about 5 KB: a sealed first segment (two map chunks) and an active second one. */
    private static void writeAll(WalStorageEngine engine) {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < KEYS; i++) {
            write(engine, batch.clear().put(bytes(key(i)), valueOf(i)));
        }
    }

    private static KeyDirectory.Lookup locate(WalStorageEngine engine, String key) {
        byte[] k = bytes(key);
        KeyDirectory.Lookup lookup = new KeyDirectory.Lookup();
        assertTrue(engine.directory().find(new UnsafeBuffer(k), 0, k.length, lookup), key);
        return lookup;
    }

    /** The file and offset of the middle byte of {@code key}'s value. */
    private record Spot(Path file, long valueByte, long entryOffset) {
    }

    private static Spot valueSpot(WalStorageEngine engine, String key) {
        KeyDirectory.Lookup lookup = locate(engine, key);
        Path file = engine.files().byId(Location.fileId(lookup.location)).path();
        long entry = Location.offset(lookup.location);
        long value = entry + WalRecordFormat.ENTRY_HEADER_BYTES + bytes(key).length;
        return new Spot(file, value + (lookup.entryLength - (value - entry)) / 2, entry);
    }

    /** Flips one bit in place (no rewrite of the file, so maps of it stay valid). */
    private static void flipBit(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x08)).position(0);
            channel.write(one, offset);
        }
    }

    private static long stat(WalStorageEngine engine, String name) {
        return ((Number) engine.stats().get(name)).longValue();
    }

    private static CorruptDataException assertRefused(WalStorageEngine engine, String key, Spot spot) {
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> engine.get(bytes(key)), key);
        assertEquals(spot.file(), e.file().orElseThrow(), e.getMessage());
        assertEquals(spot.entryOffset(), e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(spot.file().toString()) && e.getMessage().contains("byte offset "
                + spot.entryOffset()) && e.getMessage().contains("checksum"), e.getMessage());
        return e;
    }

    private static void assertIntactExcept(WalStorageEngine engine, List<Integer> damaged) throws IOException {
        for (int i = 0; i < KEYS; i++) {
            if (!damaged.contains(i)) {
                assertArrayEquals(valueOf(i), engine.get(bytes(key(i))).orElseThrow().value(), key(i));
            }
        }
    }

    /** Keys of the first (sealed) segment: one wholly inside a map chunk, one across the 1 MiB chunk boundary. */
    private static int[] mappedAndPositional(WalStorageEngine engine, long sealedId) {
        int mapped = -1;
        int straddling = -1;
        for (int i = 0; i < KEYS; i++) {
            KeyDirectory.Lookup lookup = locate(engine, key(i));
            if (Location.fileId(lookup.location) != sealedId) {
                continue;
            }
            long start = Location.offset(lookup.location);
            long end = start + lookup.entryLength - 1;
            if (start >>> DataFile.MAP_CHUNK_SHIFT != end >>> DataFile.MAP_CHUNK_SHIFT) {
                straddling = i;
            } else if (mapped < 0 && start > 4096) {
                mapped = i;
            }
        }
        assertTrue(mapped >= 0 && straddling >= 0, "keys in a chunk and across chunks: " + mapped + ", " + straddling);
        return new int[] {mapped, straddling};
    }

    @Test
    void flippedBitsInASealedSegmentAreRefusedByMappedAndPositionalReadsAfterARestartFromHints() throws IOException {
        long sealedId;
        int[] keys;
        Spot mappedSpot;
        Spot positionalSpot;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            sealedId = engine.files().all().get(0).id();
            assertTrue(engine.files().all().size() >= 2, "the first segment is sealed");
            engine.merger().writeMissingHints();
            keys = mappedAndPositional(engine, sealedId);
            mappedSpot = valueSpot(engine, key(keys[0]));
            positionalSpot = valueSpot(engine, key(keys[1]));
        }
        flipBit(mappedSpot.file(), mappedSpot.valueByte());
        flipBit(positionalSpot.file(), positionalSpot.valueByte());

        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertTrue(engine.files().byId(sealedId).isHinted(), "the sealed segment was loaded from its hint, "
                    + "not replayed");
            assertRefused(engine, key(keys[0]), mappedSpot);
            assertRefused(engine, key(keys[1]), positionalSpot);
            assertRefused(engine, key(keys[0]), mappedSpot); // and again: a refusal is not a one-off
            assertIntactExcept(engine, List.of(keys[0], keys[1]));
            assertEquals(3, stat(engine, "corrupt_reads"));
            assertEquals(1, stat(engine, "damaged_files"));
        }
    }

    @Test
    void aFlippedBitInTheActiveSegmentIsRefusedByAPositionalRead() throws IOException {
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            String last = key(KEYS - 1);
            Spot spot = valueSpot(engine, last);
            assertEquals(engine.files().active().path(), spot.file());
            flipBit(spot.file(), spot.valueByte());
            assertRefused(engine, last, spot);
            assertIntactExcept(engine, List.of(KEYS - 1));
        }
    }

    @Test
    void oneDamagedEntryOfABatchIsRefusedAndItsNeighboursInTheSameRecordStillRead() throws IOException {
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < 100; i++) {
                batch.put(bytes(key(i)), valueOf(i));
            }
            write(engine, batch);
            Spot spot = valueSpot(engine, key(42));
            flipBit(spot.file(), spot.valueByte());
            assertRefused(engine, key(42), spot);
            for (int i = 0; i < 100; i++) {
                if (i != 42) {
                    assertArrayEquals(valueOf(i), engine.get(bytes(key(i))).orElseThrow().value(), key(i));
                }
            }
        }
    }

    @Test
    void aScanAndACheckpointStopAtTheDamagedEntryAndHandOnNoCorruptByte() throws IOException {
        Spot spot;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            engine.merger().writeMissingHints();
            spot = valueSpot(engine, key(7));
        }
        flipBit(spot.file(), spot.valueByte());
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            List<StoredRecord> seen = new ArrayList<>();
            CorruptDataException scanned = assertThrows(CorruptDataException.class, () -> engine.scan(seen::add));
            assertEquals(spot.file(), scanned.file().orElseThrow());
            for (StoredRecord record : seen) {
                int i = Integer.parseInt(new String(record.key()).substring("key-".length()));
                assertArrayEquals(valueOf(i), record.value(), "the scan handed on " + key(i) + " intact");
            }

            ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
            CorruptDataException checkpointed = assertThrows(CorruptDataException.class,
                    () -> engine.checkpoint(checkpoint));
            assertEquals(spot.file(), checkpointed.file().orElseThrow());
            CheckpointReader partial = CheckpointReader.open(new ByteArrayInputStream(checkpoint.toByteArray()));
            assertThrows(CorruptDataException.class, () -> {
                for (StoredRecord record = partial.next(); record != null; record = partial.next()) {
                    int i = Integer.parseInt(new String(record.key()).substring("key-".length()));
                    assertArrayEquals(valueOf(i), record.value(), "the checkpoint holds " + key(i) + " intact");
                }
            }, "what the checkpoint wrote before the damage has no terminator: it cannot be installed");
            assertEquals(2, stat(engine, "corrupt_reads"));
        }
    }

    /** For indexes: a scan that skips damage hands on every intact record and reports the damaged one. */
    @Test
    void aScanSkippingDamageGoesOnPastTheDamagedEntry() throws IOException {
        Spot spot;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            engine.merger().writeMissingHints();
            spot = valueSpot(engine, key(7));
        }
        flipBit(spot.file(), spot.valueByte());
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            List<StoredRecord> seen = new ArrayList<>();
            List<CorruptDataException> damaged = new ArrayList<>();
            engine.scanSkippingDamage(seen::add, damaged::add);
            assertEquals(1, damaged.size(), damaged.toString());
            assertEquals(spot.file(), damaged.get(0).file().orElseThrow());
            assertEquals(engine.keyCount() - 1, seen.size(), "every intact record is handed on");
            for (StoredRecord record : seen) {
                int i = Integer.parseInt(new String(record.key()).substring("key-".length()));
                assertTrue(i != 7, "the damaged record is left out");
                assertArrayEquals(valueOf(i), record.value(), "the scan handed on " + key(i) + " intact");
            }
        }
    }

    @Test
    void aFlippedBitInAMergeOutputIsRefusedAfterARestartFromItsHint() throws IOException {
        Spot spot;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            engine.mergeNow();
            spot = valueSpot(engine, key(3));
            assertTrue(spot.file().toString().endsWith(".merged"), spot.file().toString());
        }
        flipBit(spot.file(), spot.valueByte());
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertRefused(engine, key(3), spot);
            assertIntactExcept(engine, List.of(3));
        }
    }

    @Test
    void aMergeStopsAtADamagedInputKeepsItAndNeverGivesTheDamageAFreshChecksum() throws IOException {
        int victim = 5;
        Spot spot;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            engine.merger().writeMissingHints(); // so that the merge, not the hint writer, meets the damage
            DataFile sealed = engine.files().all().get(0);
            spot = valueSpot(engine, key(victim));
            assertEquals(sealed.path(), spot.file());
            flipBit(spot.file(), spot.valueByte());

            CorruptDataException e = assertThrows(CorruptDataException.class, engine::mergeNow);
            assertEquals(sealed.path(), e.file().orElseThrow(), e.getMessage());
            assertTrue(Files.exists(sealed.path()), "the damaged input is kept");
            assertEquals(List.of(), WalFiles.filesEndingWith(dir, DataFile.TEMP_SUFFIX), "no unfinished output left");
            assertEquals(List.of(), WalFiles.filesEndingWith(dir, ".merged"), "nothing was merged");
            assertEquals(1, stat(engine, "damaged_files"));

            // Later merges leave the damaged file alone instead of failing on it again and again.
            for (int i = 0; i < KEYS; i++) {
                write(engine, new WriteBatch().put(bytes(key(10_000 + i)), valueOf(i)));
            }
            engine.mergeNow();
            assertTrue(Files.exists(sealed.path()), "the damaged file is still there");
            assertTrue(engine.files().all().contains(sealed));
            assertFalse(WalFiles.filesEndingWith(dir, ".merged").isEmpty(), "the other files were merged");
            assertRefused(engine, key(victim), spot);
            assertIntactExcept(engine, List.of(victim));
        }
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertRefused(engine, key(victim), spot);
            assertIntactExcept(engine, List.of(victim));
        }
    }

    @Test
    void writingAHintStopsAtADamagedSegmentAndLeavesItOutFromThenOn() throws IOException {
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            Spot spot = valueSpot(engine, key(5));
            flipBit(spot.file(), spot.valueByte());

            CorruptDataException e = assertThrows(CorruptDataException.class,
                    () -> engine.merger().writeMissingHints());
            assertEquals(spot.file(), e.file().orElseThrow());
            assertEquals(List.of(), WalFiles.filesEndingWith(dir, HintFile.SUFFIX), "no hint for damaged data");
            assertEquals(List.of(), WalFiles.filesEndingWith(dir, DataFile.TEMP_SUFFIX));
            assertEquals(1, stat(engine, "damaged_files"));
            assertEquals(0, engine.merger().writeMissingHints(), "the damaged segment is left alone");
            assertRefused(engine, key(5), spot);
        }
    }

    @Test
    void aFlippedBitInAHintFileIsIgnoredAndTheDataFileReplayedSoEveryValueIsRight() throws IOException {
        Path hint;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            engine.merger().writeMissingHints();
            hint = WalFiles.filesEndingWith(dir, HintFile.SUFFIX).get(0);
        }
        long size = Files.size(hint);
        for (long offset = 100; offset < size; offset += 997) {
            flipBit(hint, offset);
        }
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertFalse(engine.files().all().get(0).isHinted(), "the damaged hint was not used");
            assertIntactExcept(engine, List.of());
            assertEquals(0, stat(engine, "corrupt_reads"));
            assertEquals(1, engine.merger().writeMissingHints(), "the merger writes the hint again");
        }
    }

    @Test
    void aVersionOneHintWithoutEntryChecksumsIsReplacedAfterOneReplay() throws IOException {
        Path hint;
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            writeAll(engine);
            engine.merger().writeMissingHints();
            hint = WalFiles.filesEndingWith(dir, HintFile.SUFFIX).get(0);
        }
        // Make it claim version 1, with a valid checksum: the header record's body starts with the version.
        byte[] bytes = Files.readAllBytes(hint);
        ByteBuffer header = ByteBuffer.wrap(bytes);
        int length = header.getInt(WalRecordFormat.LENGTH_OFFSET);
        bytes[WalRecordFormat.BODY_OFFSET] = 1;
        header.putInt(WalRecordFormat.CRC_OFFSET, WalRecordFormat.checksum(bytes, WalRecordFormat.TYPE_OFFSET, length));
        Files.write(hint, bytes);
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertFalse(engine.files().all().get(0).isHinted());
            assertIntactExcept(engine, List.of());
            assertEquals(1, engine.merger().writeMissingHints());
            assertEquals(HintFile.VERSION, Files.readAllBytes(hint)[WalRecordFormat.BODY_OFFSET]);
        }
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            assertTrue(engine.files().all().get(0).isHinted(), "the new hint is used");
            assertIntactExcept(engine, List.of());
        }
    }

    @Test
    void theIssueReproductionServesNoCorruptValue() throws IOException {
        // 20,000 keys of 200 bytes, 1 MiB segments; flip one bit every 997 bytes of the second segment.
        WalOptions options = WalTestSupport.options("wal.segment.bytes", "1MiB", "wal.sync", "none");
        int keys = 20_000;
        try (WalStorageEngine engine = open(dir, options)) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < keys; i += 100) {
                batch.clear();
                for (int k = i; k < i + 100; k++) {
                    batch.put(bytes(key(k)), smallValue(k));
                }
                write(engine, batch);
            }
            engine.merger().writeMissingHints();
        }
        Path second = WalFiles.segments(dir).get(1);
        long size = Files.size(second);
        for (long offset = 0; offset < size; offset += 997) {
            flipBit(second, offset);
        }
        int right = 0;
        int refused = 0;
        try (WalStorageEngine engine = open(dir, options)) {
            for (int i = 0; i < keys; i++) {
                try {
                    byte[] value = engine.get(bytes(key(i))).orElseThrow().value();
                    assertArrayEquals(smallValue(i), value, "a corrupt value was served for " + key(i));
                    right++;
                } catch (CorruptDataException e) {
                    assertTrue(e.getMessage().contains(second.toString()), e.getMessage());
                    refused++;
                }
            }
            assertEquals(refused, stat(engine, "corrupt_reads"));
        }
        assertEquals(keys, right + refused);
        assertTrue(refused > 0 && right > keys / 2, right + " right, " + refused + " refused");
    }

    private static byte[] smallValue(int key) {
        byte[] value = new byte[200];
        Arrays.fill(value, (byte) ('a' + key % 26));
        return value;
    }
}
