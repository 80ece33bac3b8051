package org.modkv.index.fulltext;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexResult;
import org.modkv.api.storage.WriteBatch;

/**
 * Queries run while batches are applied, and a query never misses a batch whose apply returned
 * before the query started: each batch adds one key holding the word, so the total is at least
 * the applied sequence read before the query.
 */
class ConcurrentQueryTest {
    @TempDir
    Path dir;

    @Test
    void aQueryAfterApplyReturnedSeesIt() throws Exception {
        MemoryStoredData storage = new MemoryStoredData();
        ExecutorService queries = Executors.newFixedThreadPool(2);
        try (Index index = IndexFixture.open(dir, storage, Map.of())) {
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<Long>> checks = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                checks.add(queries.submit(() -> {
                    long checked = 0;
                    while (writing.get()) {
                        long applied = index.appliedSequence();
                        IndexResult result = IndexFixture.search(index, "word", "all", 0, 1);
                        if (result.totalHits() < applied) {
                            throw new AssertionError("applied " + applied + " batches but found " + result.totalHits());
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            for (int sequence = 1; sequence <= 300; sequence++) {
                WriteBatch batch = new WriteBatch().put(FindValueTest.bytes("k" + sequence),
                        FindValueTest.bytes("a word " + sequence));
                storage.write(sequence, batch);
                index.apply(sequence, batch);
                if (sequence % 50 == 0) {
                    index.commit();
                }
            }
            writing.set(false);
            for (Future<Long> check : checks) {
                check.get(60, TimeUnit.SECONDS);
            }
            assertEquals(300, IndexFixture.search(index, "word", "all", 0, 1).totalHits());
        } finally {
            queries.shutdownNow();
        }
    }
}
