package org.modkv.index.fulltext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.storage.WriteBatch;

/**
 * Random puts, overwrites and deletes (text and binary values) go to storage and the index alike;
 * after every few batches, random queries of words, phrases, prefixes and exclusions in both
 * modes are checked against {@link SearchOracle}'s brute-force scan: the same hit set, the exact
 * total, scores never increasing, equal scores in key order, and pages that add up to the whole.
 */
class RandomizedSearchTest {
    private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "iota",
        "kappa", "lambda", "mu", "zeta"};
    private static final String[] PREFIXES = {"al", "be", "e", "ka", "la", "ze", "th", "de", "ga", "io", "x"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void matchesABruteForceScan(long seed) throws Exception {
        Random random = new Random(seed);
        MemoryStoredData storage = new MemoryStoredData();
        try (Index index = IndexFixture.open(dir, storage, Map.of("fulltext.limit.max", "1000"))) {
            long sequence = 0;
            for (int round = 0; round < 12; round++) {
                for (int b = 0; b < 5; b++) {
                    WriteBatch batch = randomBatch(random);
                    sequence++;
                    storage.write(sequence, batch);
                    index.apply(sequence, batch);
                }
                for (int q = 0; q < 25; q++) {
                    checkQuery(index, storage, random, "seed " + seed + " round " + round + " query " + q);
                }
            }
            assertEquals(sequence, index.appliedSequence());
        }
    }

    /**
     * The index misses random batches (as when its queue overflowed), is resynced from storage,
     * restarted from its commit, and then answers like the brute-force scan again.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void resyncAndRestartConvergeOnStorage(long seed) throws Exception {
        Random random = new Random(seed);
        MemoryStoredData storage = new MemoryStoredData();
        long sequence = 0;
        for (int round = 0; round < 4; round++) {
            try (Index index = IndexFixture.open(dir, storage, Map.of())) {
                assertEquals(sequence, index.appliedSequence(), "seed " + seed + " round " + round + " restart");
                for (int b = 0; b < 30; b++) {
                    WriteBatch batch = randomBatch(random);
                    sequence++;
                    storage.write(sequence, batch);
                    if (random.nextInt(3) > 0) {
                        index.apply(sequence, batch);
                    }
                }
                index.resync(sequence, storage);
                for (int q = 0; q < 25; q++) {
                    checkQuery(index, storage, random, "seed " + seed + " round " + round + " query " + q);
                }
                index.commit();
            }
        }
    }

    private static WriteBatch randomBatch(Random random) {
        WriteBatch batch = new WriteBatch();
        int entries = 1 + random.nextInt(20);
        for (int i = 0; i < entries; i++) {
            byte[] key = ("k" + random.nextInt(150)).getBytes(StandardCharsets.UTF_8);
            int kind = random.nextInt(10);
            if (kind == 0) {
                batch.delete(key);
            } else if (kind == 1) {
                byte[] binary = new byte[1 + random.nextInt(8)];
                random.nextBytes(binary);
                binary[0] = (byte) 0xff; // never valid UTF-8
                batch.put(key, binary);
            } else {
                batch.put(key, randomText(random).getBytes(StandardCharsets.UTF_8));
            }
        }
        return batch;
    }

    private static String randomText(Random random) {
        int words = random.nextInt(9);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            out.add(random.nextInt(8) == 0 ? word.toUpperCase() : word);
        }
        return String.join(" ", out);
    }

    private static void checkQuery(Index index, MemoryStoredData storage, Random random, String where) {
        int clauses = 1 + random.nextInt(3);
        List<SearchOracle.Clause> query = new ArrayList<>();
        for (int i = 0; i < clauses; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            query.add(new SearchOracle.Clause(switch (random.nextInt(5)) {
                case 0 -> "\"" + word + " " + WORDS[random.nextInt(WORDS.length)] + "\"";
                case 1 -> PREFIXES[random.nextInt(PREFIXES.length)] + "*";
                case 2 -> "-" + word;
                case 3 -> word.toUpperCase();
                default -> word;
            }));
        }
        boolean all = random.nextBoolean();
        String text = query.stream().map(SearchOracle.Clause::text).collect(Collectors.joining(" "));
        String mode = all ? "all" : "any";
        String context = where + ": " + mode + " [" + text + "]";

        List<byte[]> expected = SearchOracle.matches(storage.view(), query, all);
        IndexResult whole = IndexFixture.search(index, text, mode, 0, 1000);
        assertEquals(expected.size(), whole.totalHits(), context + " total");
        assertEquals(keySet(expected), keySet(whole.hits().stream().map(ScoredKey::key).toList()), context + " hits");
        for (int i = 1; i < whole.hits().size(); i++) {
            ScoredKey before = whole.hits().get(i - 1);
            ScoredKey after = whole.hits().get(i);
            assertTrue(before.score() >= after.score(), context + " scores increase at " + i);
            if (before.score() == after.score()) {
                assertTrue(Arrays.compareUnsigned(before.key(), after.key()) < 0, context + " tie not in key order at " + i);
            }
        }
        int pageSize = 2 + random.nextInt(9);
        List<ScoredKey> paged = new ArrayList<>();
        for (int offset = 0; offset < expected.size() + pageSize; offset += pageSize) {
            IndexResult page = IndexFixture.search(index, text, mode, offset, pageSize);
            assertEquals(expected.size(), page.totalHits(), context + " total of page at " + offset);
            assertTrue(page.hits().size() <= pageSize, context);
            paged.addAll(page.hits());
        }
        assertEquals(whole.hits(), paged, context + " pages");
    }

    private static TreeSet<String> keySet(List<byte[]> keys) {
        TreeSet<String> set = new TreeSet<>(Comparator.naturalOrder());
        keys.forEach(k -> set.add(SearchOracle.utf8(k)));
        return set;
    }
}
