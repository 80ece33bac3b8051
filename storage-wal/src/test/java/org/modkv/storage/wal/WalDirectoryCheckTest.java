package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.DurableLog;
import org.modkv.api.storage.StorageCheckReport;
import org.modkv.api.storage.StorageDamage;
import org.modkv.api.storage.WriteBatch;

/**
 * The offline check ({@code modkv check}) finds every flipped bit, by file and record offset,
 * in segments, merge outputs, hint files and durable logs; tells a hint that is merely ignored
 * from one a start would wrongly trust; calls a torn tail a note, not damage; refuses a
 * directory that is not an engine's; and changes nothing.
 */
class WalDirectoryCheckTest {
    private static final WalOptions OPTIONS = WalTestSupport.options("wal.segment.bytes", "64KiB", "wal.sync", "none",
            "wal.preallocate", "false");

    @TempDir
    Path dir;

    /** Three sealed segments with hints, a merge output with its hint, an active segment, a durable log. */
    private void populate() throws Exception {
        try (WalStorageEngine engine = open(dir, OPTIONS)) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < 300; i++) {
                write(engine, batch.clear().put(bytes("key-" + i), bytes("value-" + i + "-" + "x".repeat(200))));
            }
            engine.mergeNow(); // the sealed segments so far become a merge output
            for (int i = 0; i < 900; i++) {
                batch.clear().put(bytes("key-" + (300 + i)), bytes("value-" + i + "-" + "y".repeat(200)));
                if (i % 3 == 0) {
                    batch.put(bytes("key-" + (i / 3)), bytes("overwritten-" + i));
                }
                write(engine, batch);
            }
            engine.merger().writeMissingHints();
            DurableLog log = engine.openLog("raft").orElseThrow();
            for (int i = 0; i < 50; i++) {
                log.append(bytes("entry-" + i)).get(10, TimeUnit.SECONDS);
            }
            log.close();
        }
        assertFalse(WalFiles.filesEndingWith(dir, ".merged").isEmpty());
        assertTrue(WalFiles.segments(dir).size() >= 3);
    }

    private StorageCheckReport check() throws IOException {
        return WalDirectoryCheck.check(dir);
    }

    /** A content hash of every file under the directory, to prove the check changes nothing. */
    private Map<String, String> fingerprint() throws IOException, NoSuchAlgorithmException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                out.put(dir.relativize(file).toString(), HexFormat.of().formatHex(digest));
            }
        }
        return out;
    }

    @Test
    void aCleanDirectoryIsCleanAndTheCheckChangesNothing() throws Exception {
        populate();
        Map<String, String> before = fingerprint();
        StorageCheckReport report = check();
        assertTrue(report.isClean(), report.damage().toString());
        assertEquals(List.of(), report.notes());
        assertEquals(dir, report.directory());
        assertTrue(report.files() >= 8, "segments, merge output, hints, durable log: " + report.files());
        assertTrue(report.records() > 1200, "records: " + report.records());
        assertEquals(before, fingerprint());
    }

    @Test
    void everyFlippedBitInSegmentsAndMergeOutputsIsReportedAtItsRecord() throws Exception {
        populate();
        Path segment = WalFiles.segments(dir).get(0);
        Path merged = WalFiles.filesEndingWith(dir, ".merged").get(0);
        List<Long> segmentRecords = WalFiles.recordOffsets(segment);
        List<Long> mergedRecords = mergedRecordOffsets(merged);
        long first = segmentRecords.get(3);
        long second = segmentRecords.get(10);
        long third = mergedRecords.get(5);
        WalFiles.flipBit(segment, first + WalRecordFormat.HEADER_BYTES + 20, 2);
        WalFiles.flipBit(segment, second + WalRecordFormat.HEADER_BYTES + 40, 5);
        WalFiles.flipBit(merged, third + WalRecordFormat.HEADER_BYTES + 30, 0);
        Map<String, String> before = fingerprint();

        StorageCheckReport report = check();

        assertFalse(report.isClean());
        List<String> found = report.damage().stream().filter(d -> d.file().toString().endsWith(".wal")
                || d.file().toString().endsWith(".merged")).map(d -> d.file() + "@" + d.offset()).toList();
        assertEquals(List.of(merged + "@" + third, segment + "@" + first, segment + "@" + second), found);
        StorageDamage one = report.damage().stream().filter(d -> d.offset() == first).findFirst().orElseThrow();
        assertTrue(one.problem().contains("checksum mismatch") && one.problem().contains("next record starts at "
                + "byte offset " + segmentRecords.get(4)), one.problem());
        assertTrue(report.damage().stream().noneMatch(d -> d.file().toString().endsWith(HintFile.SUFFIX)),
                "the hints still match their files where the records are intact: " + report.damage());
        assertEquals(before, fingerprint());
    }

    private static List<Long> mergedRecordOffsets(Path merged) throws IOException {
        return WalFiles.recordOffsets(merged).subList(1, WalFiles.recordOffsets(merged).size()); // after merge-info
    }

    @Test
    void aDamagedHintIsReportedAsHarmlessAndALyingOneAsDangerous() throws Exception {
        populate();
        List<Path> hints = WalFiles.filesEndingWith(dir, HintFile.SUFFIX);
        Path flipped = hints.get(0);
        Path lying = hints.get(1);
        WalFiles.flipBit(flipped, Files.size(flipped) / 2, 3);
        rewriteFirstEntryChecksum(lying);

        StorageCheckReport report = check();

        assertEquals(2, report.damage().size(), report.damage().toString());
        StorageDamage harmless = report.damage().stream().filter(d -> d.file().equals(flipped)).findFirst()
                .orElseThrow();
        assertTrue(harmless.problem().contains("Harmless"), harmless.problem());
        StorageDamage dangerous = report.damage().stream().filter(d -> d.file().equals(lying)).findFirst()
                .orElseThrow();
        assertTrue(dangerous.problem().contains("would trust this hint"), dangerous.problem());
    }

    /** Changes the entry checksum of the hint's first entry and re-seals its record: checksums match, content lies. */
    private static void rewriteFirstEntryChecksum(Path hint) throws IOException {
        byte[] bytes = Files.readAllBytes(hint);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int header = (int) WalRecordFormat.recordBytes(buffer.getInt(0));
        int chunkLength = buffer.getInt(header);
        int entryChecksumAt = header + WalRecordFormat.BODY_OFFSET + 21;
        buffer.putInt(entryChecksumAt, buffer.getInt(entryChecksumAt) ^ 1);
        buffer.putInt(header + WalRecordFormat.CRC_OFFSET,
                WalRecordFormat.checksum(bytes, header + WalRecordFormat.TYPE_OFFSET, chunkLength));
        Files.write(hint, bytes);
    }

    @Test
    void everyDamagedRecordIsReportedWhenNoIntactRecordIsLeftBetweenThem() throws Exception {
        populate();
        Path segment = WalFiles.segments(dir).get(1);
        List<Long> records = WalFiles.recordOffsets(segment);
        for (long record : records) {
            WalFiles.flipBit(segment, record + WalRecordFormat.HEADER_BYTES + 15, 4);
        }
        StorageCheckReport report = check();
        assertEquals(records, report.damage().stream().filter(d -> d.file().equals(segment))
                .map(StorageDamage::offset).toList());
    }

    @Test
    void aTornTailOfTheLastSegmentIsANoteNotDamage() throws Exception {
        populate();
        Path last = WalFiles.lastSegment(dir);
        WalFiles.append(last, new byte[] {0, 0, 1, 0, 9, 9, 9, 9, 1, 2, 3}); // a record cut short by a crash
        StorageCheckReport report = check();
        assertTrue(report.isClean(), report.damage().toString());
        assertEquals(1, report.notes().size(), report.notes().toString());
        assertTrue(report.notes().get(0).contains("torn") && report.notes().get(0).contains(last.toString()),
                report.notes().get(0));
    }

    @Test
    void damageInTheMiddleOfTheLastSegmentIsDamage() throws Exception {
        populate();
        Path last = WalFiles.lastSegment(dir);
        long record = WalFiles.recordOffsets(last).get(1);
        WalFiles.flipBit(last, record + WalRecordFormat.HEADER_BYTES + 10, 1);
        StorageCheckReport report = check();
        assertEquals(List.of(last + "@" + record), report.damage().stream().map(d -> d.file() + "@" + d.offset())
                .toList());
    }

    @Test
    void aFlippedBitInTheDurableLogIsReported() throws Exception {
        populate();
        Path logFile;
        try (Stream<Path> files = Files.list(dir.resolve("log-raft"))) {
            logFile = files.filter(f -> f.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
        }
        long record = WalFiles.recordOffsets(logFile).get(7);
        WalFiles.flipBit(logFile, record + WalRecordFormat.HEADER_BYTES + 2, 6);
        StorageCheckReport report = check();
        assertEquals(List.of(logFile + "@" + record), report.damage().stream().map(d -> d.file() + "@" + d.offset())
                .toList());
    }

    @Test
    void aDirectoryWithoutSegmentsIsNotAStorageWalDirectory() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        IOException e = assertThrows(IOException.class, this::check);
        assertTrue(e.getMessage().contains("is not a storage-wal directory"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> WalDirectoryCheck.check(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("is not a directory"), missing.getMessage());
    }
}
