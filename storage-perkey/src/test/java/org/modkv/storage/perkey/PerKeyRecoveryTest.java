package org.modkv.storage.perkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.perkey.PerKeyTestFiles.bytes;
import static org.modkv.storage.perkey.PerKeyTestFiles.copyTree;
import static org.modkv.storage.perkey.PerKeyTestFiles.filesUnder;
import static org.modkv.storage.perkey.PerKeyTestFiles.flipByte;
import static org.modkv.storage.perkey.PerKeyTestFiles.holdingFlushes;
import static org.modkv.storage.perkey.PerKeyTestFiles.intentFiles;
import static org.modkv.storage.perkey.PerKeyTestFiles.keyFile;
import static org.modkv.storage.perkey.PerKeyTestFiles.options;
import static org.modkv.storage.perkey.PerKeyTestFiles.put;
import static org.modkv.storage.perkey.PerKeyTestFiles.truncate;
import static org.modkv.storage.perkey.PerKeyTestFiles.value;
import static org.modkv.storage.perkey.PerKeyTestFiles.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.WriteBatch;

/**
 * Recovery from real files as a crash leaves them. The fixture is a data directory copied
 * while its engine is open, with the flusher held back:
 * <ol>
 *   <li>batch 1: a=1, b=1, c=1 - flushed to key files and checkpointed;
 *   <li>batch 2: a=2, b=2, delete c - only in the intent log;
 *   <li>batch 3: d=3 - only in the intent log, in a second intent file.
 * </ol>
 */
class PerKeyRecoveryTest {
    @TempDir
    Path temp;
    private Path crashed;

    @BeforeEach
    void leaveADirectoryAsACrashWould() throws IOException {
        Path live = temp.resolve("live");
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(live, holdingFlushes())) {
            write(engine, new WriteBatch().put(bytes("a"), bytes("1")).put(bytes("b"), bytes("1")).put(bytes("c"), bytes("1")));
            engine.flushNow();
            write(engine, new WriteBatch().put(bytes("a"), bytes("2")).put(bytes("b"), bytes("2")).delete(bytes("c")));
            put(engine, "d", "3");
            crashed = copyTree(live, temp.resolve("crashed"));
        }
        assertEquals(2, intentFiles(crashed).size(), "batches 2 and 3 wait in the intent log");
        assertEquals("1", Files.readString(crashed.resolve(CheckpointFile.NAME)).lines()
                .filter(l -> l.startsWith("sequence=")).findFirst().orElseThrow().substring(9));
    }

    private static void assertAllThreeBatches(PerKeyStorageEngine engine) throws IOException {
        assertEquals("2", value(engine, "a"));
        assertEquals("2", value(engine, "b"));
        assertNull(value(engine, "c"));
        assertEquals("3", value(engine, "d"));
        assertEquals(3, engine.keyCount());
        assertEquals(3, engine.lastSequence());
    }

    @Test
    void completeIntentsAreReappliedToTheKeyFilesAndDeleted() throws IOException {
        assertEquals("1", valueInFile("a"), "before recovery the key file is old");

        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertAllThreeBatches(engine);
            assertEquals(List.of(), intentFiles(crashed), "recovery checkpointed and deleted the intents");
            assertEquals("2", valueInFile("a"), "the key file itself is repaired, not only the read path");
            assertFalse(Files.exists(keyFile(crashed, "c")));
        }
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertAllThreeBatches(engine);
        }
    }

    @Test
    void aBatchHalfAppliedToKeyFilesIsCompleted() throws IOException {
        // As if the flusher had renamed a's new file, then the process died.
        Path live = temp.resolve("live"); // closed, so flushed: its key file for a holds batch 2
        Files.copy(live.resolve(crashed.relativize(keyFile(crashed, "a"))), keyFile(crashed, "a"),
                StandardCopyOption.REPLACE_EXISTING);
        assertEquals("2", valueInFile("a"));
        assertEquals("1", valueInFile("b"));

        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertAllThreeBatches(engine);
        }
    }

    @Test
    void tornNewestIntentIsDroppedAsAWholeAndItsSequenceReused() throws IOException {
        Path newest = intentFiles(crashed).get(1);
        truncate(newest, Files.size(newest) - 3);

        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertEquals("2", value(engine, "a"));
            assertNull(value(engine, "d"), "the torn batch is absent");
            assertEquals(2, engine.lastSequence());
            assertEquals(2, engine.keyCount());
            assertEquals(3, put(engine, "e", "5"), "the torn batch was never acknowledged; its number is free");
        }
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertEquals("5", value(engine, "e"));
            assertNull(value(engine, "d"));
            assertEquals(3, engine.lastSequence());
        }
    }

    @Test
    void emptyNewestIntentFileIsDropped() throws IOException {
        truncate(intentFiles(crashed).get(1), 0);

        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertNull(value(engine, "d"));
            assertEquals("2", value(engine, "b"));
        }
    }

    @Test
    void damagedOlderIntentIsRefusedNamingFileAndOffset() throws IOException {
        Path older = intentFiles(crashed).get(0);
        flipByte(older, IntentFormat.HEADER_BYTES + IntentFormat.RECORD_HEADER_BYTES + 2);

        IOException e = assertThrows(IOException.class, () -> PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults()));

        assertTrue(e.getMessage().contains(older.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset " + IntentFormat.HEADER_BYTES), e.getMessage());
        assertTrue(e.getMessage().contains("not the newest"), e.getMessage());
    }

    @Test
    void intentThatReappearsAfterItsCheckpointIsNotReplayedOverNewerFiles() throws IOException {
        Path stale = intentFiles(crashed).get(0);
        byte[] staleIntent = Files.readAllBytes(stale);
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            put(engine, "a", "4");
            engine.flushNow();
        }
        Files.write(stale, staleIntent); // its deletion was not durable when the power went

        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertEquals("4", value(engine, "a"), "batch 2 must not come back over batch 4");
            assertEquals(4, engine.lastSequence());
            assertFalse(Files.exists(stale), "the stale intent is removed");
        }
    }

    @Test
    void leftOverTemporaryFilesAreRemovedAndNotCounted() throws IOException {
        Path keyTemp = keyFile(crashed, "a").resolveSibling(keyFile(crashed, "a").getFileName() + ".tmp");
        Files.write(keyTemp, bytes("half a file"));
        Path orphanTemp = keyFile(crashed, "never-written").resolveSibling("never-written.kv.tmp");
        Files.createDirectories(orphanTemp.getParent());
        Files.write(orphanTemp, new byte[0]);
        Files.write(crashed.resolve(CheckpointFile.NAME + ".tmp"), bytes("sequence=99"));

        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertAllThreeBatches(engine);
            assertNull(value(engine, "never-written"));
        }
        assertEquals(List.of(), filesUnder(crashed, ".tmp"));
    }

    @Test
    void corruptValueIsReportedByTheReadWithPathAndOffset() throws IOException {
        Path file = keyFile(crashed, "b");
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            flipByte(file, Files.size(file) - 1);

            IOException e = assertThrows(IOException.class, () -> engine.get(bytes("b")));

            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("value checksum"), e.getMessage());
            assertTrue(e.getMessage().contains("byte offset " + (KeyFileFormat.HEADER_BYTES + 1)), e.getMessage());
            assertEquals("2", value(engine, "a"), "other keys are unaffected");
        }
    }

    @Test
    void corruptHeaderStopsStartUpNamingTheFile() throws IOException {
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            put(engine, "z", "26");
        }
        Path z = keyFile(crashed, "z");
        flipByte(z, KeyFileFormat.HEADER_BYTES); // the key byte

        IOException e = assertThrows(IOException.class, () -> PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults()));

        assertTrue(e.getMessage().contains(z.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
    }

    @Test
    void truncatedKeyFileStopsStartUp() throws IOException {
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertEquals("3", value(engine, "d"));
        }
        Path d = keyFile(crashed, "d");
        truncate(d, Files.size(d) - 1);

        IOException e = assertThrows(IOException.class, () -> PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults()));

        assertTrue(e.getMessage().contains(d.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void damagedKeyFileCoveredByAnIntentIsRepairedByTheReplay() throws IOException {
        Path a = keyFile(crashed, "a");
        truncate(a, 5); // as after a power loss with perkey.sync=none

        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertAllThreeBatches(engine);
        }
    }

    @Test
    void keyFileMovedByHandStopsStartUpNamingBothPlaces() throws IOException {
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            assertEquals(3, engine.keyCount());
        }
        Path a = keyFile(crashed, "a");
        String wrongDir = a.getParent().getFileName().toString().equals("00") ? "ff" : "00";
        Path elsewhere = crashed.resolve(DataLayout.KEYS_DIR).resolve(wrongDir).resolve(wrongDir).resolve("a.kv");
        Files.createDirectories(elsewhere.getParent());
        Files.move(a, elsewhere);

        IOException e = assertThrows(IOException.class, () -> PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults()));

        assertTrue(e.getMessage().contains(elsewhere.toString()) && e.getMessage().contains(a.toString()), e.getMessage());
    }

    @Test
    void aDifferentFanOutForAnExistingDirectoryIsRefusedWithTheFix() {
        IOException e = assertThrows(IOException.class,
                () -> PerKeyStorageEngine.open(crashed, options(Map.of("perkey.fanout.levels", "1"))));

        assertTrue(e.getMessage().contains("perkey.fanout.levels=2"), e.getMessage());
    }

    @Test
    void theDirectoryCannotBeOpenedTwice() throws IOException {
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults())) {
            IOException e = assertThrows(IOException.class,
                    () -> PerKeyStorageEngine.open(crashed, PerKeyOptions.defaults()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals("3", value(engine, "d"));
        }
    }

    private String valueInFile(String key) throws IOException {
        byte[] content = Files.readAllBytes(keyFile(crashed, key));
        return new String(content, content.length - 1, 1, java.nio.charset.StandardCharsets.UTF_8);
    }
}
