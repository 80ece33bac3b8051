package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.wal.WalTestSupport.bytes;
import static org.modkv.storage.wal.WalTestSupport.open;
import static org.modkv.storage.wal.WalTestSupport.put;
import static org.modkv.storage.wal.WalTestSupport.value;
import static org.modkv.storage.wal.WalTestSupport.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modkv.api.storage.WriteBatch;

/**
 * Recovery from real, damaged segment files. The fixture log holds five records:
 * <ol>
 *   <li>put a=1
 *   <li>put b=2
 *   <li>put c=3, delete a
 *   <li>put d=4 (with metadata)
 *   <li>put e=5, put f=6, delete b
 * </ol>
 */
class WalRecoveryTest {
    private static final String SEGMENT_1 = DataFile.fileName(1, DataFile.Kind.SEGMENT);

    @TempDir
    Path temp;
    private Path golden;
    private List<Long> offsets;
    private long goldenSize;

    @BeforeEach
    void writeFixtureLog() throws IOException {
        golden = temp.resolve("golden");
        try (WalStorageEngine engine = open(golden)) {
            put(engine, "a", "1");
            put(engine, "b", "2");
            write(engine, new WriteBatch().put(bytes("c"), bytes("3")).delete(bytes("a")));
            write(engine, new WriteBatch().put(bytes("d"), bytes("4"), bytes("meta-d")));
            write(engine, new WriteBatch().put(bytes("e"), bytes("5")).put(bytes("f"), bytes("6")).delete(bytes("b")));
        }
        Path segment = golden.resolve(SEGMENT_1);
        offsets = WalFiles.recordOffsets(segment);
        goldenSize = Files.size(segment);
        assertEquals(5, offsets.size());
    }

    private Path copy(String name) throws IOException {
        return WalFiles.copyDir(golden, temp.resolve(name));
    }

    private static void assertFirstFourRecordsOnly(WalStorageEngine engine) throws IOException {
        assertNull(value(engine, "a"));
        assertEquals("2", value(engine, "b"));
        assertEquals("3", value(engine, "c"));
        assertEquals("4", value(engine, "d"));
        assertArrayEquals(bytes("meta-d"), engine.get(bytes("d")).orElseThrow().metadata());
        assertNull(value(engine, "e"), "the torn batch is absent as a whole");
        assertNull(value(engine, "f"), "the torn batch is absent as a whole");
        assertEquals(3, engine.keyCount());
        assertEquals(4, engine.lastSequence());
    }

    private static void assertAllFiveRecords(WalStorageEngine engine) throws IOException {
        assertNull(value(engine, "a"));
        assertNull(value(engine, "b"));
        assertEquals("3", value(engine, "c"));
        assertEquals("4", value(engine, "d"));
        assertEquals("5", value(engine, "e"));
        assertEquals("6", value(engine, "f"));
        assertEquals(4, engine.keyCount());
        assertEquals(5, engine.lastSequence());
    }

    @Test
    void cleanLogReopensWithEveryRecord() throws IOException {
        try (WalStorageEngine engine = open(copy("clean"))) {
            assertAllFiveRecords(engine);
        }
    }

    @Test
    void lastRecordCutAtEveryByteOffsetIsDroppedAndEarlierRecordsKept() throws IOException {
        long lastStart = offsets.get(4);
        for (long cut = lastStart; cut < goldenSize; cut++) {
            Path dir = copy("cut-" + cut);
            Path segment = dir.resolve(SEGMENT_1);
            WalFiles.truncate(segment, cut);

            // A tail of zeros only (a cut inside the length's leading zero bytes) reads as a
            // prepared segment's zeros: the log ends there without a cut. Anything else is cut off.
            byte[] tail = Arrays.copyOfRange(Files.readAllBytes(segment), (int) lastStart, (int) cut);
            boolean zerosOnly = IntStream.range(0, tail.length).allMatch(i -> tail[i] == 0);
            try (WalStorageEngine engine = open(dir)) {
                assertFirstFourRecordsOnly(engine);
                assertEquals(zerosOnly ? cut : lastStart, Files.size(segment),
                        "the torn tail is cut off the file (cut at " + cut + ")");
                put(engine, "after-recovery", "x");
            }
            try (WalStorageEngine engine = open(dir)) {
                assertEquals("x", value(engine, "after-recovery"), "the log takes writes after a cut at " + cut);
                assertEquals(5, engine.lastSequence());
            }
        }
    }

    /** Offsets inside a record: length (high and low byte), checksum, type, sequence, batch, last byte. */
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 8, 12, 20, -1})
    void bitFlipInAMiddleRecordRefusesToOpenNamingFileAndOffset(int offsetInRecord) throws IOException {
        Path dir = copy("flip-middle");
        Path segment = dir.resolve(SEGMENT_1);
        long start = offsets.get(2);
        long at = offsetInRecord >= 0 ? start + offsetInRecord : offsets.get(3) - 1;
        WalFiles.flipBit(segment, at, offsetInRecord == 0 ? 7 : 0);
        byte[] damaged = Files.readAllBytes(segment);

        IOException e = assertThrows(IOException.class, () -> open(dir));

        assertTrue(e.getMessage().contains(segment.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt at byte offset " + start + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("will not start"), e.getMessage());
        assertArrayEquals(damaged, Files.readAllBytes(segment), "a refused log is left as it was");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 8, 12, 20, -1})
    void bitFlipInTheLastRecordIsTreatedAsATornTail(int offsetInRecord) throws IOException {
        Path dir = copy("flip-last");
        Path segment = dir.resolve(SEGMENT_1);
        long start = offsets.get(4);
        long at = offsetInRecord >= 0 ? start + offsetInRecord : goldenSize - 1;
        WalFiles.flipBit(segment, at, offsetInRecord == 0 ? 7 : 0);

        try (WalStorageEngine engine = open(dir)) {
            assertFirstFourRecordsOnly(engine);
            assertEquals(start, Files.size(segment));
        }
    }

    @Test
    void zerosAfterTheLastRecordEndTheLogAndLaterAppendsGoIntoThem() throws IOException {
        Path dir = copy("zeros");
        WalFiles.append(dir.resolve(SEGMENT_1), new byte[4096]);

        try (WalStorageEngine engine = open(dir)) {
            assertAllFiveRecords(engine);
            assertEquals(goldenSize + 4096, Files.size(dir.resolve(SEGMENT_1)), "zeros are a prepared segment's: kept");
            assertEquals(goldenSize, engine.files().active().size(), "the log ends with the last record");
            put(engine, "after-recovery", "x");
        }
        try (WalStorageEngine engine = open(dir)) {
            assertEquals("6", value(engine, "f"));
            assertEquals("x", value(engine, "after-recovery"));
            assertEquals(6, engine.lastSequence(), "the append after the recovered records is found again");
            assertEquals(goldenSize + 4096, Files.size(dir.resolve(SEGMENT_1)));
        }
    }

    @Test
    void partialHeaderAfterTheLastRecordIsCut() throws IOException {
        Path dir = copy("partial-header");
        WalFiles.append(dir.resolve(SEGMENT_1), new byte[] {0, 0, 0, 40, 1});

        try (WalStorageEngine engine = open(dir)) {
            assertAllFiveRecords(engine);
            assertEquals(goldenSize, Files.size(dir.resolve(SEGMENT_1)));
        }
    }

    @Test
    void checksummedRecordWithABackwardSequenceIsCorruptionEvenAtTheTail() throws IOException {
        Path dir = copy("backward-sequence");
        Path segment = dir.resolve(SEGMENT_1);
        byte[] file = Files.readAllBytes(segment);
        int start = offsets.get(4).intValue();
        ByteBuffer record = ByteBuffer.wrap(file, start, file.length - start).slice();
        record.putLong(WalRecordFormat.SEQUENCE_OFFSET, 2);
        CRC32C crc = new CRC32C();
        crc.update(file, start + WalRecordFormat.TYPE_OFFSET, file.length - start - WalRecordFormat.TYPE_OFFSET);
        record.putInt(WalRecordFormat.CRC_OFFSET, (int) crc.getValue());
        Files.write(segment, file);

        IOException e = assertThrows(IOException.class, () -> open(dir));

        assertTrue(e.getMessage().contains("corrupt at byte offset " + start + ": sequence number 2 does not follow 4"),
                e.getMessage());
    }

    @Test
    void emptySegmentAfterARollIsTheActiveSegment() throws IOException {
        Path dir = copy("empty-next");
        Files.createFile(dir.resolve(DataFile.fileName(2, DataFile.Kind.SEGMENT)));

        try (WalStorageEngine engine = open(dir)) {
            assertAllFiveRecords(engine);
            put(engine, "g", "7");
        }
        assertEquals(goldenSize, Files.size(dir.resolve(SEGMENT_1)), "the sealed segment is not appended to");
        assertTrue(Files.size(dir.resolve(DataFile.fileName(2, DataFile.Kind.SEGMENT))) > 0);
        try (WalStorageEngine engine = open(dir)) {
            assertEquals("7", value(engine, "g"));
            assertEquals(6, engine.lastSequence());
        }
    }

    @Test
    void filesThatAreNotSegmentsAreIgnored() throws IOException {
        Path dir = copy("stray-files");
        Files.writeString(dir.resolve("notes.txt"), "not a segment");
        Files.writeString(dir.resolve("1.wal"), "not a segment name either");

        try (WalStorageEngine engine = open(dir)) {
            assertAllFiveRecords(engine);
        }
    }

    // ------------------------------------------------------------ several segments

    private Path writeThreeOrMoreSegments(String name) throws IOException {
        Path dir = temp.resolve(name);
        try (WalStorageEngine engine = open(dir, WalTestSupport.options("wal.segment.bytes", "1024"))) {
            for (int i = 0; i < 40; i++) {
                put(engine, "key-" + i, "x".repeat(100) + i);
            }
        }
        assertTrue(WalFiles.segments(dir).size() >= 3, "fixture rolls");
        return dir;
    }

    @Test
    void damageAtTheEndOfASegmentThatIsNotTheLastRefusesToOpen() throws IOException {
        Path dir = writeThreeOrMoreSegments("non-last-flip");
        Path first = WalFiles.segments(dir).get(0);
        List<Long> records = WalFiles.recordOffsets(first);
        long lastRecord = records.get(records.size() - 1);
        WalFiles.flipBit(first, Files.size(first) - 1, 3);

        IOException e = assertThrows(IOException.class, () -> open(dir, WalTestSupport.options("wal.segment.bytes", "1024")));

        assertTrue(e.getMessage().contains(first.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt at byte offset " + lastRecord + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("later segments follow"), e.getMessage());
    }

    @Test
    void truncatedSegmentThatIsNotTheLastRefusesToOpen() throws IOException {
        Path dir = writeThreeOrMoreSegments("non-last-truncated");
        Path second = WalFiles.segments(dir).get(1);
        List<Long> records = WalFiles.recordOffsets(second);
        WalFiles.truncate(second, Files.size(second) - 1);

        IOException e = assertThrows(IOException.class, () -> open(dir, WalTestSupport.options("wal.segment.bytes", "1024")));

        assertTrue(e.getMessage().contains(second.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt at byte offset " + records.get(records.size() - 1) + ":"),
                e.getMessage());
    }
}
