package org.modkv.index.fulltext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.storage.WriteBatch;

/** Restart from a commit, resync after storage diverged, and rebuild when the analysis changes. */
class PersistenceTest {
    @TempDir
    Path dir;

    @Test
    void reopensAtItsLastCommitWithTheSameAnswers() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        WriteBatch first = new WriteBatch().put(FindValueTest.bytes("a"), FindValueTest.bytes("red apple"))
                .put(FindValueTest.bytes("b"), FindValueTest.bytes("green apple"));
        WriteBatch second = new WriteBatch().put(FindValueTest.bytes("c"), FindValueTest.bytes("red cherry"));
        IndexResult before;
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            assertEquals(0, index.appliedSequence());
            index.apply(7, first);
            index.commit();
            before = IndexFixture.search(index, "apple", "all", 0, 10);
            index.apply(8, second); // never committed: gone after the restart
            assertEquals(1, IndexFixture.search(index, "cherry", "all", 0, 10).totalHits());
        }
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            assertEquals(7, index.appliedSequence());
            assertEquals(before, IndexFixture.search(index, "apple", "all", 0, 10));
            assertEquals(0, IndexFixture.search(index, "cherry", "all", 0, 10).totalHits());
            index.apply(8, second);
            index.commit();
        }
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            assertEquals(8, index.appliedSequence());
            assertEquals(keys("a", "c"), keys(IndexFixture.search(index, "red", "all", 0, 10)));
        }
    }

    @Test
    void aCommitRunningBesideAppliesHoldsEveryApplyUpToTheSequenceItRecords() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        int batches = 3_000;
        long committed;
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            assertTrue(index.commitsConcurrently());
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread committer = new Thread(() -> {
                try {
                    while (!done.get()) {
                        index.commit();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "test-committer");
            committer.start();
            for (int i = 1; i <= batches; i++) {
                index.apply(i, new WriteBatch().put(FindValueTest.bytes("k" + i), FindValueTest.bytes("word" + i)));
            }
            done.set(true);
            committer.join();
            assertNull(failure.get(), () -> "commit failed: " + failure.get());
            committed = index.appliedSequence(); // what the last commit may have recorded, at most
        }
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            long recorded = index.appliedSequence();
            assertTrue(recorded > 0 && recorded <= committed, "recorded " + recorded);
            for (long i = 1; i <= recorded; i++) {
                assertEquals(Set.of("k" + i), keys(IndexFixture.search(index, "word" + i, "all", 0, 10)),
                        "apply " + i + " is at or below the recorded sequence " + recorded);
            }
        }
    }

    @Test
    void resyncIndexesWhatChangedAndDeletesWhatIsGone() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        WriteBatch initial = new WriteBatch();
        for (int i = 0; i < 50; i++) {
            initial.put(FindValueTest.bytes("k" + i), FindValueTest.bytes("old value " + i));
        }
        storage.write(1, initial);
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            index.apply(1, initial);
            index.commit();
        }
        // storage moves on while the index is closed: deletes, changes, new keys
        WriteBatch diverge = new WriteBatch();
        for (int i = 0; i < 50; i += 5) {
            diverge.delete(FindValueTest.bytes("k" + i));
        }
        for (int i = 1; i < 50; i += 5) {
            diverge.put(FindValueTest.bytes("k" + i), FindValueTest.bytes("new value " + i));
        }
        diverge.put(FindValueTest.bytes("fresh"), new byte[] {(byte) 0xfe, 1});
        storage.write(9, diverge);
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            assertEquals(1, index.appliedSequence());
            index.resync(9, storage);
            assertEquals(9, index.appliedSequence());
            assertEquals(10, IndexFixture.search(index, "new", "all", 0, 100).totalHits());
            assertEquals(30, IndexFixture.search(index, "old", "all", 0, 100).totalHits());
            assertEquals(41L, index.stats().get("docs"));
            assertEquals(1L, index.stats().get("non_text_values"));
            for (int i = 0; i < 50; i++) {
                String state = i % 5 == 0 ? "gone" : i % 5 == 1 ? "new" : "old";
                Set<String> expected = state.equals("gone") ? Set.of() : Set.of("k" + i);
                assertEquals(expected, keys(IndexFixture.search(index, "\"" + state + " value " + i + "\"", "all", 0,
                        10)), "k" + i);
            }
        }
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            assertEquals(9, index.appliedSequence(), "resync commits");
        }
    }

    @Test
    void keysLongerThanALuceneTermAreUpdatedDeletedAndResynced() throws Exception {
        byte[] longKey = new byte[40_000];
        Arrays.fill(longKey, (byte) 'k');
        byte[] otherLongKey = longKey.clone();
        otherLongKey[39_999] = 'z';
        MemoryStoredData storage = new MemoryStoredData();
        WriteBatch first = new WriteBatch().put(longKey, FindValueTest.bytes("long key words"))
                .put(otherLongKey, FindValueTest.bytes("long key words"));
        storage.write(1, first);
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            index.apply(1, first);
            IndexResult both = IndexFixture.search(index, "words", "all", 0, 10);
            assertEquals(2, both.totalHits());
            assertEquals(40_000, both.hits().get(0).key().length);
            WriteBatch second = new WriteBatch().put(longKey, FindValueTest.bytes("changed")).delete(otherLongKey);
            storage.write(2, second);
            index.apply(2, second);
            assertEquals(0, IndexFixture.search(index, "words", "all", 0, 10).totalHits());
            assertEquals(1, IndexFixture.search(index, "changed", "all", 0, 10).totalHits());
            assertEquals(1L, index.stats().get("docs"));
            WriteBatch behindItsBack = new WriteBatch().delete(longKey).put(otherLongKey, FindValueTest.bytes("back"));
            storage.write(3, behindItsBack);
            index.resync(3, storage);
            assertEquals(0, IndexFixture.search(index, "changed", "all", 0, 10).totalHits());
            assertEquals(1, IndexFixture.search(index, "back", "all", 0, 10).totalHits());
            assertEquals(1L, index.stats().get("docs"));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryNamesTheLock() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            IOException e = assertThrows(IOException.class,
                    () -> IndexFixture.open(dir, storage, Map.of()));
            assertTrue(e.getMessage().contains("another process holds its lock"),
                    e.getMessage());
        }
        try (Index reopened = IndexFixture.open(dir, storage, Map.of())) {
            assertEquals(0, reopened.appliedSequence(), "the failed open left no lock behind");
        }
    }

    @Test
    void clearForgetsEverythingAndItsSequence() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        WriteBatch batch = new WriteBatch().put(FindValueTest.bytes("a"), FindValueTest.bytes("some words"));
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            index.apply(4, batch);
            assertEquals(1, IndexFixture.search(index, "words", "all", 0, 10).totalHits());
            index.clear();
            assertEquals(0, index.appliedSequence());
            assertEquals(0, IndexFixture.search(index, "words", "all", 0, 10).totalHits());
            index.commit();
        }
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            assertEquals(0, index.appliedSequence());
            assertEquals(0L, index.stats().get("docs"));
        }
    }

    @Test
    void rebuildsWhenTheAnalyzerChanges() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        WriteBatch batch = new WriteBatch().put(FindValueTest.bytes("a"), FindValueTest.bytes("indexing"));
        storage.write(3, batch);
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            index.apply(3, batch);
            index.commit();
        }
        try (Index index = IndexFixture.open(dir, storage, Map.of("fulltext.analyzer", "english"))) {
            assertEquals(0, index.appliedSequence(), "a changed analyzer starts over");
            assertEquals(0L, index.stats().get("docs"));
            index.resync(3, storage);
            assertEquals(keys("a"), keys(IndexFixture.search(index, "indexed", "all", 0, 10)));
        }
    }

    private static Set<String> keys(String... keys) {
        return new TreeSet<>(List.of(keys));
    }

    private static Set<String> keys(IndexResult result) {
        Set<String> keys = new TreeSet<>();
        for (ScoredKey hit : result.hits()) {
            keys.add(SearchOracle.utf8(hit.key()));
        }
        return keys;
    }
}
