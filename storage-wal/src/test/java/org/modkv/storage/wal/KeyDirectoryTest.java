package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class KeyDirectoryTest {
    private final Map<Long, Long> liveByFile = new HashMap<>();
    private final KeyDirectory directory = new KeyDirectory(0,
            (location, delta) -> liveByFile.merge(Location.fileId(location), delta, Long::sum));

    private static UnsafeBuffer key(String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A checksum that differs for every put of these tests, so that one put's cannot pass for another's. */
    private static int checksumOf(String key, long fileId, long offset, long sequence) {
        return key.hashCode() * 31 + (int) (fileId * 1_000_003 + offset * 7 + sequence);
    }

    private boolean put(String key, long fileId, long offset, int length, long sequence) {
        UnsafeBuffer k = key(key);
        long stamp = directory.beginUpdate();
        try {
            return directory.put(k, 0, k.capacity(), Location.of(fileId, offset), length, sequence,
                    checksumOf(key, fileId, offset, sequence));
        } finally {
            directory.endUpdate(stamp);
        }
    }

    private void delete(String key, long sequence) {
        UnsafeBuffer k = key(key);
        long stamp = directory.beginUpdate();
        try {
            directory.delete(k, 0, k.capacity(), sequence);
        } finally {
            directory.endUpdate(stamp);
        }
    }

    private KeyDirectory.Lookup find(String key) {
        UnsafeBuffer k = key(key);
        KeyDirectory.Lookup lookup = new KeyDirectory.Lookup();
        return directory.find(k, 0, k.capacity(), lookup) ? lookup : null;
    }

    @Test
    void findsWhatWasPutAndNothingElse() {
        put("alpha", 1, 100, 30, 1);
        put("beta", 2, 200, 40, 2);
        put("", 3, 0, 13, 3);

        assertEquals(Location.of(1, 100), find("alpha").location);
        assertEquals(40, find("beta").entryLength);
        assertEquals(3, find("").sequence);
        assertEquals(checksumOf("beta", 2, 200, 2), find("beta").checksum);
        assertEquals(null, find("alphb"));
        assertEquals(null, find("alph"));
        assertEquals(3, directory.keyCount());
        assertEquals(30 + 40 + 13, directory.liveBytes());
    }

    @Test
    void overwriteMovesLiveBytesFromTheOldFileToTheNew() {
        put("k", 1, 0, 30, 1);
        put("k", 2, 64, 50, 2);

        assertEquals(0L, liveByFile.get(1L));
        assertEquals(50L, liveByFile.get(2L));
        assertEquals(1, directory.keyCount());
        assertEquals(50, directory.liveBytes());
    }

    @Test
    void deleteHidesTheKeyAndAPutBringsItBack() {
        put("k", 1, 0, 30, 1);
        delete("k", 2);

        assertEquals(null, find("k"));
        assertEquals(0, directory.keyCount());
        assertEquals(0L, liveByFile.get(1L));

        put("k", 1, 100, 30, 3);
        assertEquals(Location.of(1, 100), find("k").location);
        assertEquals(checksumOf("k", 1, 100, 3), find("k").checksum, "the put that brought it back");
        assertEquals(1, directory.keyCount());
    }

    @Test
    void anOlderEntryLoadedLaterLosesToTheNewerOne() {
        put("k", 2, 0, 30, 7);
        assertFalse(put("k", 1, 0, 30, 5), "an older put does not replace a newer one");
        delete("k", 6);

        assertEquals(Location.of(2, 0), find("k").location, "an older delete does not hide a newer put");
        assertEquals(30L, liveByFile.get(2L));
        assertEquals(null, liveByFile.get(1L));
    }

    @Test
    void duringRecoveryADeleteOutlivesOlderPutsLoadedAfterIt() {
        directory.keepDeletes(true);
        delete("k", 9);
        put("k", 1, 0, 30, 4);
        directory.keepDeletes(false);

        assertEquals(null, find("k"));
        assertEquals(0, directory.keyCount());
    }

    @Test
    void entriesOfOneBatchShareASequenceAndTheLaterWins() {
        put("k", 1, 0, 20, 5);
        delete("k", 5);
        assertEquals(null, find("k"));
        put("k", 1, 40, 25, 5);
        assertEquals(Location.of(1, 40), find("k").location);
        assertTrue(put("k", 1, 40, 25, 5), "the same entry again (a hint and its data) is a no-op");
        assertEquals(25, directory.liveBytes());
    }

    @Test
    void relocateOnlyMovesAKeyThatStillPointsWhereTheMergeCopiedFrom() {
        put("moved", 1, 0, 30, 1);
        put("overwritten", 1, 30, 30, 2);
        put("overwritten", 3, 0, 30, 3);
        UnsafeBuffer moved = key("moved");
        UnsafeBuffer overwritten = key("overwritten");
        long stamp = directory.beginUpdate();
        try {
            assertTrue(directory.relocate(moved, 0, moved.capacity(), Location.of(1, 0), Location.of(2, 0)));
            assertFalse(directory.relocate(overwritten, 0, overwritten.capacity(), Location.of(1, 30),
                    Location.of(2, 30)));
        } finally {
            directory.endUpdate(stamp);
        }

        assertEquals(Location.of(2, 0), find("moved").location);
        assertEquals(checksumOf("moved", 1, 0, 1), find("moved").checksum, "a merge's copy is the same entry");
        assertEquals(Location.of(3, 0), find("overwritten").location);
        assertEquals(0L, liveByFile.get(1L));
        assertEquals(30L, liveByFile.get(2L));
    }

    @Test
    void growsFarPastItsInitialSizeAndKeepsEveryKey() {
        int keys = 200_000;
        int initialCapacity = directory.capacity();
        long stamp = directory.beginUpdate();
        try {
            for (int i = 0; i < keys; i++) {
                UnsafeBuffer k = key("key-" + i);
                directory.put(k, 0, k.capacity(), Location.of(1 + i % 7, i * 8L), 20 + i % 50, i + 1, i * 7919);
            }
        } finally {
            directory.endUpdate(stamp);
        }

        assertTrue(directory.capacity() > initialCapacity);
        assertEquals(keys, directory.keyCount());
        for (int i = 0; i < keys; i++) {
            KeyDirectory.Lookup lookup = find("key-" + i);
            assertEquals(Location.of(1 + i % 7, i * 8L), lookup.location, "key-" + i);
            assertEquals(20 + i % 50, lookup.entryLength);
            assertEquals(i * 7919, lookup.checksum, "key-" + i + " keeps its checksum through growth");
        }
        long perKey = directory.offHeapBytes() / keys;
        assertTrue(perKey < 80, "off-heap bytes per key: " + perKey);
    }

    @Test
    void walkVisitsEachKeyOnceAcrossDeletesAndReinserts() {
        for (int i = 0; i < 1000; i++) {
            put("key-" + i, 1, i, 20, i + 1);
        }
        for (int i = 0; i < 1000; i += 2) {
            delete("key-" + i, 2000 + i);
        }
        for (int i = 0; i < 1000; i += 4) {
            put("key-" + i, 2, i, 20, 4000 + i);
        }
        List<String> seen = new ArrayList<>();
        directory.forEachKey(key -> seen.add(new String(key, StandardCharsets.UTF_8)));

        Set<String> distinct = new HashSet<>(seen);
        assertEquals(seen.size(), distinct.size(), "no key twice");
        for (int i = 0; i < 1000; i++) {
            assertTrue(distinct.contains("key-" + i), "key-" + i + " has a record (present or deleted)");
        }
    }

    @Test
    void compactionDropsDeletedKeysAndKeepsThePresentOnes() {
        for (int i = 0; i < 20_000; i++) {
            put("key-" + i, 1, i, 20, i + 1);
        }
        for (int i = 0; i < 20_000; i++) {
            if (i % 10 != 0) {
                delete("key-" + i, 100_000 + i);
            }
        }
        long before = directory.offHeapBytes();

        directory.compactIfWorthIt();

        assertTrue(directory.offHeapBytes() < before, before + " -> " + directory.offHeapBytes());
        assertEquals(2_000, directory.keyCount());
        List<byte[]> walked = new ArrayList<>();
        directory.forEachKey(walked::add);
        assertEquals(2_000, walked.size(), "deleted keys are gone from the walk too");
        for (int i = 0; i < 20_000; i++) {
            assertEquals(i % 10 == 0, find("key-" + i) != null, "key-" + i);
            if (i % 10 == 0) {
                assertEquals(checksumOf("key-" + i, 1, i, i + 1), find("key-" + i).checksum, "key-" + i);
            }
        }
    }
}
