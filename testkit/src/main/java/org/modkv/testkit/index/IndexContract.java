package org.modkv.testkit.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.index.Index;
import org.modkv.api.index.IndexProvider;
import org.modkv.api.index.IndexQuery;
import org.modkv.api.index.IndexResult;
import org.modkv.api.index.ScoredKey;
import org.modkv.api.storage.WriteBatch;
import org.modkv.testkit.TestPluginContext;

/**
 * The index conformance suite ("TCK"): every {@link Index} plugin passes it. A plugin's test
 * class extends it, names its provider and gives an oracle for its own query language:
 *
 * <pre>{@code
 * class MyIndexTest extends IndexContract {
 *     protected IndexProvider provider() { return new MyIndexProvider(); }
 *     protected IndexQuery randomQuery(Random random, Map<String, byte[]> live) {
 *         return IndexQuery.of("search", List.of(vocabulary().get(random.nextInt(vocabulary().size()))));
 *     }
 *     protected Set<String> expected(IndexQuery query, Map<String, byte[]> live) {
 *         ... the keys of live whose value matches, by brute force ...
 *     }
 * }
 * }</pre>
 *
 * <p>Every test is randomized from one seed, printed in each failure; rerun a failure with
 * {@code -Dmodkv.index.seed=<seed>}. The suite drives the index as the kernel does
 * (docs/design/indexes.md): batches in sequence order from one thread, queries from others,
 * {@link Index#resync} from a {@link MapStoredData} that is also the oracle's truth, and a
 * restart (close, then open again over the same directory) followed by a catch-up when the
 * reopened index is not at the last sequence.
 *
 * <p>What is checked for every query: the set of keys hit equals {@link #expected} over the
 * live data, and {@link IndexResult#totalHits()} is its size; hits come best first, scores never
 * increase, and equal scores are ordered by key (unsigned bytes). Scores themselves are the
 * index's business. Keys are ASCII ({@code k000}, {@code k001}, ...); values come from
 * {@link #randomValue}, by default words of {@link #vocabulary()}.
 */
public abstract class IndexContract {
    /** Upper bound for waiting on a thread of the concurrency test; a guard against hangs only. */
    protected static final long WAIT_SECONDS = 60;

    private Path dataDir;
    private long seed;
    private Random random;
    private MapStoredData data;
    private long sequence;
    private final List<Index> opened = new ArrayList<>();
    private final List<TestPluginContext> contexts = new ArrayList<>();

    /** For subclasses; JUnit creates one instance per test. */
    protected IndexContract() {
    }

    /** The provider under test; a new instance each call is fine. */
    protected abstract IndexProvider provider();

    /** Raw config values for the index under test, bound against the provider's schema. */
    protected Map<String, String> config() {
        return Map.of();
    }

    /**
     * A random query for the index under test; {@code live} is the data it will run against
     * (key to value), for generators that pick existing values. The suite adds
     * {@link IndexQuery#LIMIT} {@link #queryLimit()} when the query sets none.
     */
    protected abstract IndexQuery randomQuery(Random random, Map<String, byte[]> live);

    /** The oracle: the keys of {@code live} that {@code query} must hit, computed by brute force. */
    protected abstract Set<String> expected(IndexQuery query, Map<String, byte[]> live);

    /** Words the default {@link #randomValue} draws from. */
    protected List<String> vocabulary() {
        return List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
                "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango");
    }

    /** A value to store: by default one to five words of {@link #vocabulary()}, space-separated. */
    protected byte[] randomValue(Random random) {
        List<String> words = vocabulary();
        int count = 1 + random.nextInt(5);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** How many distinct keys the workload uses (default 150); overwrites and deletes hit them again. */
    protected int keySpace() {
        return 150;
    }

    /** The {@link IndexQuery#LIMIT} added to queries that set none; at least {@link #keySpace()}. */
    protected int queryLimit() {
        return 1000;
    }

    /** A query the index must refuse with {@code INVALID_REQUEST} (default: an unknown operation). */
    protected IndexQuery invalidQuery() {
        return IndexQuery.of("no-such-operation-" + Long.toHexString(seed), List.of("x"));
    }

    // ---------------------------------------------------------------- lifecycle and helpers

    @BeforeEach
    public final void prepare(@TempDir Path tempDir) {
        dataDir = tempDir.resolve("index");
        seed = Long.getLong("modkv.index.seed", System.nanoTime());
        random = new Random(seed);
        data = new MapStoredData();
        sequence = 0;
    }

    @AfterEach
    public final void closeEverythingOpened() {
        for (Index index : opened) {
            index.close();
        }
        contexts.forEach(TestPluginContext::close);
    }

    /** Opens the index under test over the test's directory (the same one each time). */
    protected final Index open() throws IOException {
        IndexProvider provider = provider();
        TestPluginContext base = TestPluginContext.builder().schema(provider.configSchema()).config(config())
                .dataDir(dataDir).build();
        contexts.add(base);
        Index index = provider.open(new TestIndexContext(base, data));
        opened.add(index);
        return index;
    }

    /** Closes {@code index} (once). */
    protected final void close(Index index) {
        if (opened.remove(index)) {
            index.close();
        }
    }

    /** " (seed N; rerun with -Dmodkv.index.seed=N)", for failure messages. */
    protected final String seedNote() {
        return " (seed " + seed + "; rerun with -Dmodkv.index.seed=" + seed + ")";
    }

    /** The live data now, key to value. */
    protected final Map<String, byte[]> live() {
        Map<String, byte[]> live = new TreeMap<>();
        data.contents().forEach((key, value) -> live.put(new String(key, StandardCharsets.US_ASCII), value));
        return live;
    }

    private byte[] randomKey() {
        return String.format("k%03d", random.nextInt(keySpace())).getBytes(StandardCharsets.US_ASCII);
    }

    /** A random batch of one to four puts, overwrites and deletes (sometimes of the same key). */
    private WriteBatch randomBatch() {
        WriteBatch batch = new WriteBatch();
        int entries = 1 + random.nextInt(4);
        for (int i = 0; i < entries; i++) {
            int dice = random.nextInt(10);
            byte[] key = randomKey();
            if (dice < 6) {
                batch.put(key, randomValue(random));
            } else if (dice < 9) {
                batch.delete(key);
            } else {
                batch.put(key, randomValue(random)).delete(key);
            }
        }
        return batch;
    }

    /** Applies a batch to storage and to {@code index} at the next sequence, then reuses the batch. */
    private void write(Index index, WriteBatch batch) {
        sequence++;
        data.apply(sequence, batch);
        index.apply(sequence, batch);
        batch.clear().put("k-garbage".getBytes(StandardCharsets.US_ASCII), randomValue(random)); // lent, not given
    }

    private void writeRandom(Index index, int batches) {
        for (int i = 0; i < batches; i++) {
            write(index, randomBatch());
        }
    }

    private IndexQuery withLimit(IndexQuery query) {
        if (query.options().containsKey(IndexQuery.LIMIT)) {
            return query;
        }
        Map<String, String> options = new HashMap<>(query.options());
        options.put(IndexQuery.LIMIT, Integer.toString(queryLimit()));
        return new IndexQuery(query.operation(), query.arguments(), options);
    }

    /** Runs {@code count} random queries and checks each against the oracle. */
    protected final void checkAgainstOracle(Index index, int count, String when) {
        Map<String, byte[]> live = live();
        for (int i = 0; i < count; i++) {
            IndexQuery query = withLimit(randomQuery(random, live));
            Set<String> expected = new TreeSet<>(expected(query, live));
            IndexResult result = index.query(query);
            checkWellFormed(query, result);
            Set<String> got = keys(result);
            if (!got.equals(expected) || result.totalHits() != expected.size()) {
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(got);
                Set<String> extra = new TreeSet<>(got);
                extra.removeAll(expected);
                fail(when + ": " + query + " hit " + got.size() + " keys (total " + result.totalHits() + "), the oracle "
                        + expected.size() + "; missing " + missing + ", unexpected " + extra + seedNote());
            }
        }
    }

    private Set<String> keys(IndexResult result) {
        Set<String> keys = new TreeSet<>();
        for (ScoredKey hit : result.hits()) {
            keys.add(new String(hit.key(), StandardCharsets.US_ASCII));
        }
        return keys;
    }

    /** Best first: scores never increase, ties by key; no key twice; total at least the hits. */
    protected final void checkWellFormed(IndexQuery query, IndexResult result) {
        List<ScoredKey> hits = result.hits();
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < hits.size(); i++) {
            ScoredKey hit = hits.get(i);
            if (!seen.add(new String(hit.key(), StandardCharsets.US_ASCII))) {
                fail(query + " returned key " + new String(hit.key(), StandardCharsets.US_ASCII) + " twice" + seedNote());
            }
            if (i > 0) {
                ScoredKey before = hits.get(i - 1);
                if (hit.score() > before.score()) {
                    fail(query + ": score rises from " + before.score() + " to " + hit.score() + " at hit " + i + seedNote());
                }
                if (hit.score() == before.score() && Arrays.compareUnsigned(before.key(), hit.key()) > 0) {
                    fail(query + ": equal scores not ordered by key at hit " + i + seedNote());
                }
            }
        }
        assertTrue(result.totalHits() >= hits.size(), "total below the hits returned" + seedNote());
    }

    // ---------------------------------------------------------------- the suite

    @Test
    public void putsOverwritesDeletesAndBatchesMatchTheOracle() throws IOException {
        Index index = open();
        checkAgainstOracle(index, 5, "empty index");
        for (int round = 0; round < 20; round++) {
            writeRandom(index, 25);
            assertEquals(sequence, index.appliedSequence(), "appliedSequence after apply" + seedNote());
            checkAgainstOracle(index, 10, "after " + sequence + " batches");
        }
    }

    @Test
    public void aBatchIsLentForTheCallOnly() throws IOException {
        Index index = open();
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < keySpace(); i += 3) {
            batch.put(String.format("k%03d", i).getBytes(StandardCharsets.US_ASCII), randomValue(random));
        }
        write(index, batch); // write() clears and refills the batch right after apply returns
        assertTrue(live().keySet().stream().noneMatch(k -> k.equals("k-garbage")));
        checkAgainstOracle(index, 20, "after the lent batch was refilled");
    }

    @Test
    public void restartKeepsWhatWasCommittedAndCatchesUpTheTailDeletesIncluded() throws IOException {
        Index index = open();
        writeRandom(index, 200);
        index.commit();
        long committed = sequence;
        Map<String, byte[]> atCommit = live();
        writeRandom(index, 100); // overwrites and deletes after the commit
        long last = sequence;
        close(index);

        Index reopened = open();
        long reported = reopened.appliedSequence();
        if (reported != 0 && reported != committed && reported != last) {
            fail("after a restart the index reports sequence " + reported + "; expected 0 (no own state), the last "
                    + "commit " + committed + " or the last batch applied " + last + seedNote());
        }
        if (reported == committed && committed != last) {
            checkContentAt(reopened, atCommit, "reopened at its last commit");
        }
        if (reported != sequence) {
            reopened.resync(sequence, data);
        }
        checkAgainstOracle(reopened, 30, "after restart and catch-up");
        writeRandom(reopened, 50);
        checkAgainstOracle(reopened, 10, "writing after the restart");
    }

    private void checkContentAt(Index index, Map<String, byte[]> then, String when) {
        for (int i = 0; i < 20; i++) {
            IndexQuery query = withLimit(randomQuery(random, then));
            Set<String> expected = new TreeSet<>(expected(query, then));
            IndexResult result = index.query(query);
            assertEquals(expected, keys(result), when + ": " + query + seedNote());
        }
    }

    @Test
    public void resyncMakesTheIndexEqualToStoredData() throws IOException {
        Index index = open();
        writeRandom(index, 150);
        // Storage changes behind the index's back, as a snapshot install does: some keys go, some
        // change, some are new.
        Map<byte[], byte[]> replaced = new LinkedHashMap<>();
        for (int i = 0; i < keySpace(); i++) {
            if (random.nextInt(3) > 0) {
                replaced.put(String.format("k%03d", i).getBytes(StandardCharsets.US_ASCII), randomValue(random));
            }
        }
        sequence += 1 + random.nextInt(50);
        data.replace(replaced, sequence);
        index.resync(sequence, data);
        assertEquals(sequence, index.appliedSequence(), "appliedSequence after resync" + seedNote());
        checkAgainstOracle(index, 30, "after resync");
        index.resync(sequence, data); // again, unchanged
        checkAgainstOracle(index, 10, "after a second resync");
        writeRandom(index, 50);
        checkAgainstOracle(index, 10, "writing after resync");
    }

    @Test
    public void clearForgetsEverything() throws IOException {
        Index index = open();
        writeRandom(index, 100);
        index.clear();
        data.replace(Map.of(), sequence);
        checkAgainstOracle(index, 20, "after clear");
        writeRandom(index, 30);
        checkAgainstOracle(index, 10, "writing after clear");
    }

    @Test
    public void invalidQueryIsRefusedWithAClearError() throws IOException {
        Index index = open();
        writeRandom(index, 10);
        try {
            index.query(invalidQuery());
            fail("the index answered " + invalidQuery() + seedNote());
        } catch (ModkvException e) {
            assertEquals(ErrorCode.INVALID_REQUEST, e.code(), e.getMessage());
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the error says what was wrong");
        }
    }

    @Test
    public void queriesRunConcurrentlyWithWritesAndEndMatchingTheOracle() throws Exception {
        Index index = open();
        writeRandom(index, 50);
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        long readerSeed = random.nextLong();
        Map<String, byte[]> startLive = live();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Random readerRandom = new Random(readerSeed + r);
            Thread reader = new Thread(() -> {
                try {
                    while (writing.get()) {
                        IndexQuery query = withLimit(randomQuery(readerRandom, startLive));
                        IndexResult result = index.query(query);
                        checkWellFormed(query, result);
                        for (ScoredKey hit : result.hits()) {
                            String key = new String(hit.key(), StandardCharsets.US_ASCII);
                            if (!key.matches("k\\d{3}")) {
                                throw new AssertionError(query + " hit a key never written: " + key + seedNote());
                            }
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "index-contract-reader-" + r);
            readers.add(reader);
            reader.start();
        }
        try {
            writeRandom(index, 1500);
        } finally {
            writing.set(false);
            for (Thread reader : readers) {
                reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                assertTrue(!reader.isAlive(), reader.getName() + " did not stop" + seedNote());
            }
        }
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError("a query failed while writes went on" + seedNote(), errors.poll());
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
        checkAgainstOracle(index, 30, "after concurrent writes");
    }

    @Test
    public void pagesSplitTheFullResultInOrder() throws IOException {
        Index index = open();
        writeRandom(index, 200);
        Map<String, byte[]> live = live();
        for (int q = 0; q < 10; q++) {
            IndexQuery base = randomQuery(random, live);
            IndexResult full = index.query(withLimit(base));
            List<String> fullKeys = full.hits().stream().map(h -> new String(h.key(), StandardCharsets.US_ASCII)).toList();
            List<String> paged = new ArrayList<>();
            int page = 1 + random.nextInt(7);
            for (int offset = 0; offset < fullKeys.size(); offset += page) {
                Map<String, String> options = new HashMap<>(base.options());
                options.put(IndexQuery.OFFSET, Integer.toString(offset));
                options.put(IndexQuery.LIMIT, Integer.toString(page));
                IndexResult result = index.query(new IndexQuery(base.operation(), base.arguments(), options));
                assertEquals(full.totalHits(), result.totalHits(), "total of a page of " + base + seedNote());
                result.hits().forEach(h -> paged.add(new String(h.key(), StandardCharsets.US_ASCII)));
            }
            assertEquals(fullKeys, paged, "pages of " + page + " of " + base + seedNote());
        }
    }
}
