package org.modkv.testkit.storage;

import static org.modkv.testkit.storage.StorageTestOperations.await;
import static org.modkv.testkit.storage.StorageTestOperations.bytes;
import static org.modkv.testkit.storage.StorageTestOperations.contents;
import static org.modkv.testkit.storage.StorageTestOperations.delete;
import static org.modkv.testkit.storage.StorageTestOperations.expected;
import static org.modkv.testkit.storage.StorageTestOperations.join;
import static org.modkv.testkit.storage.StorageTestOperations.longBytes;
import static org.modkv.testkit.storage.StorageTestOperations.offer;
import static org.modkv.testkit.storage.StorageTestOperations.put;
import static org.modkv.testkit.storage.StorageTestOperations.record;
import static org.modkv.testkit.storage.StorageTestOperations.valueOf;
import static org.modkv.testkit.storage.StorageTestOperations.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.RecordHeader;
import org.modkv.api.kv.WriteDecider;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;
import org.modkv.api.transport.EventLoopFsync;
import org.modkv.testkit.TestPluginContext;

/**
 * The storage conformance suite ("TCK"): every {@link StorageEngine} passes it. A storage
 * plugin's test class extends it and names its provider:
 *
 * <pre>{@code
 * class MyEngineTest extends StorageEngineContract {
 *     protected StorageProvider provider() { return new MyStorageProvider(); }
 *     protected Map<String, String> config() { return Map.of("my.sync", "always"); }
 * }
 * }</pre>
 *
 * <p>Each test opens the engine itself, through {@link StorageProvider#open} with a
 * {@link TestPluginContext} over a fresh JUnit {@code @TempDir}, so it can close and reopen
 * it; every engine a test opens is closed after it. Tests use real threads and real files,
 * assert outcomes only (no timing thresholds), and wait for a write at most
 * {@value #WAIT_SECONDS} seconds so that a hung engine fails instead of hanging the build.
 *
 * <p>Assumptions beyond the interface's Javadoc, stated here so an engine author can see them:
 * entries of one batch apply in order (a later entry for the same key wins); writes offered
 * one after another by one thread get increasing sequence numbers; an engine closed and
 * reopened reports the same {@link StorageEngine#lastSequence()}.
 *
 * <p>Subclasses may add engine-specific tests and use the protected helpers.
 */
public abstract class StorageEngineContract {
    /** Upper bound for waiting on one write or one thread; a guard against hangs only. */
    protected static final long WAIT_SECONDS = StorageTestOperations.WAIT_SECONDS;

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] EMPTY = new byte[0];

    private Path root;
    private Path engineDir;
    private StorageEngine engine;
    private final List<TestPluginContext> contexts = new ArrayList<>();
    private final List<StorageEngine> opened = new ArrayList<>();
    private final Set<StorageEngine> closed = Collections.newSetFromMap(new IdentityHashMap<>());

    /** For subclasses; JUnit creates one instance per test. */
    protected StorageEngineContract() {
    }

    /**
     * How many batches of 2,056 keys {@link #readerPollingDuringBatchWritesNeverSeesHalfABatch}
     * writes one after another (default 200). An engine whose acknowledgement costs an fsync per
     * key (one file per key) may lower it to keep the suite within its timeouts.
     */
    protected int largeBatchRounds() {
        return 200;
    }

    /** The provider under test; a new instance each call is fine. */
    protected abstract StorageProvider provider();

    /** Raw config values for the engine under test, bound against the provider's schema. */
    protected Map<String, String> config() {
        return Map.of();
    }

    // ---------------------------------------------------------------- lifecycle and helpers

    @BeforeEach
    public final void openEngineUnderTest(@TempDir Path tempDir) throws IOException {
        root = tempDir;
        engineDir = tempDir.resolve("engine");
        engine = openEngine(engineDir);
    }

    @AfterEach
    public final void closeEverythingOpened() throws Exception {
        Exception first = null;
        for (StorageEngine e : opened) {
            try {
                closeEngine(e);
            } catch (Exception ex) {
                first = first == null ? ex : first;
            }
        }
        for (TestPluginContext context : contexts) {
            context.close();
        }
        if (first != null) {
            throw first;
        }
    }

    /** The engine under test (the latest one after {@link #reopen()}). */
    protected final StorageEngine engine() {
        return engine;
    }

    /** The directory this test owns; the engine under test lives in its {@code engine} child. */
    protected final Path dataRoot() {
        return root;
    }

    /** The data directory of the engine under test. */
    protected final Path engineDir() {
        return engineDir;
    }

    /** Closes the engine under test and opens it again on the same directory. */
    protected final StorageEngine reopen() throws IOException {
        closeEngine(engine);
        engine = openEngine(engineDir);
        return engine;
    }

    /** Opens another engine of the provider under test on {@code dataDir}; closed after the test. */
    protected final StorageEngine openEngine(Path dataDir) throws IOException {
        TestPluginContext context = TestPluginContext.builder()
                .nodeId("tck")
                .dataDir(dataDir)
                .schema(provider().configSchema())
                .config(config())
                .build();
        contexts.add(context);
        StorageEngine opened = provider().open(context);
        this.opened.add(opened);
        return opened;
    }

    /** Closes {@code e} once; later calls for the same engine do nothing. */
    protected final void closeEngine(StorageEngine e) throws IOException {
        if (closed.add(e)) {
            e.close();
        }
    }

    // ---------------------------------------------------------------- single keys

    @Test
    public void getOfMissingKeyIsEmpty() throws IOException {
        assertEquals(Optional.empty(), engine.get(bytes("missing")));
        assertEquals(0, engine.keyCount());
    }

    @Test
    public void putThenGetReturnsTheValue() throws IOException {
        put(engine, bytes("k"), bytes("v"));

        assertArrayEquals(bytes("v"), valueOf(engine, bytes("k")));
        assertEquals(Optional.of(record(bytes("k"), bytes("v"), EMPTY)), engine.get(bytes("k")));
    }

    @Test
    public void overwriteReplacesValueAndMetadata() throws IOException {
        write(engine, new WriteBatch().put(bytes("k"), bytes("first"), bytes("m1")), Durability.DURABLE);
        write(engine, new WriteBatch().put(bytes("k"), bytes("second, longer"), bytes("m2")), Durability.DURABLE);

        assertEquals(Optional.of(record(bytes("k"), bytes("second, longer"), bytes("m2"))), engine.get(bytes("k")));
        assertEquals(1, engine.keyCount());
    }

    @Test
    public void deleteRemovesTheKey() throws IOException {
        put(engine, bytes("k"), bytes("v"));
        put(engine, bytes("other"), bytes("v"));

        delete(engine, bytes("k"));

        assertEquals(Optional.empty(), engine.get(bytes("k")));
        assertArrayEquals(bytes("v"), valueOf(engine, bytes("other")));
        assertEquals(1, engine.keyCount());
    }

    @Test
    public void deleteOfMissingKeyCompletesAndChangesNothing() throws IOException {
        put(engine, bytes("k"), bytes("v"));

        long sequence = delete(engine, bytes("never-written"));

        assertTrue(sequence > 0, "a delete of a missing key still completes with a sequence number");
        assertEquals(Optional.empty(), engine.get(bytes("never-written")));
        assertEquals(expected(record(bytes("k"), bytes("v"), EMPTY)), contents(engine));
        assertEquals(1, engine.keyCount());
    }

    @Test
    public void writeCompletedWithVisibleDurabilityIsReadable() throws IOException {
        write(engine, new WriteBatch().put(bytes("k"), bytes("v")), Durability.VISIBLE);

        assertArrayEquals(bytes("v"), valueOf(engine, bytes("k")));
    }

    // ---------------------------------------------------------------- batches

    @Test
    public void batchOfPutsAndDeletesIsVisibleAsAWhole() throws IOException {
        put(engine, bytes("doomed-1"), bytes("x"));
        put(engine, bytes("doomed-2"), bytes("x"));

        write(engine, new WriteBatch()
                .put(bytes("a"), bytes("1"))
                .delete(bytes("doomed-1"))
                .put(bytes("b"), bytes("2"), bytes("meta"))
                .delete(bytes("doomed-2"))
                .put(bytes("c"), bytes("3")), Durability.DURABLE);

        assertEquals(expected(
                record(bytes("a"), bytes("1"), EMPTY),
                record(bytes("b"), bytes("2"), bytes("meta")),
                record(bytes("c"), bytes("3"), EMPTY)), contents(engine));
        assertEquals(3, engine.keyCount());
    }

    @Test
    public void entriesOfOneBatchApplyInOrder() throws IOException {
        write(engine, new WriteBatch()
                .put(bytes("x"), bytes("1"))
                .delete(bytes("x"))
                .put(bytes("y"), bytes("1"))
                .put(bytes("y"), bytes("2"))
                .delete(bytes("z"))
                .put(bytes("z"), bytes("3")), Durability.DURABLE);

        assertEquals(expected(record(bytes("y"), bytes("2"), EMPTY), record(bytes("z"), bytes("3"), EMPTY)),
                contents(engine));
        assertEquals(2, engine.keyCount());
    }

    /**
     * Batch {@code i} sets eight watched keys to {@code i}, with many filler entries between
     * them so that an engine applying a batch entry by entry is caught between two watched
     * keys. Reading the watched keys one after another, in either order, must never see a
     * later read return an older batch than an earlier read: that would mean part of a batch
     * was visible without the rest.
     */
    @Test
    public void readerPollingDuringBatchWritesNeverSeesHalfABatch() throws Exception {
        int watched = 8;
        int fillersBetween = 256;
        int batches = largeBatchRounds();
        byte[][] keys = new byte[watched][];
        for (int j = 0; j < watched; j++) {
            keys[j] = bytes("atomic-" + j);
        }
        byte[][] fillers = new byte[watched * fillersBetween][];
        for (int n = 0; n < fillers.length; n++) {
            fillers[n] = bytes("filler-" + n);
        }
        write(engine, atomicBatch(new WriteBatch(), 0, keys, fillers, fillersBetween), Durability.DURABLE);

        StorageEngine e = engine;
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch readerStarted = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> reader = pool.submit(() -> {
                readerStarted.countDown();
                boolean last = false;
                while (violation.get() == null && !last) {
                    last = writerDone.get();
                    for (int direction = 0; direction < 2; direction++) {
                        long previous = -1;
                        for (int n = 0; n < watched; n++) {
                            int j = direction == 0 ? n : watched - 1 - n;
                            byte[] value = valueOf(e, keys[j]);
                            if (value == null || value.length != Long.BYTES) {
                                violation.set("key atomic-" + j + " is missing or malformed");
                                return null;
                            }
                            long seen = ByteBuffer.wrap(value).getLong();
                            if (seen < previous) {
                                violation.set("read atomic-" + j + " = " + seen + " after another key of the same "
                                        + "batches = " + previous + ": a batch was partly visible");
                                return null;
                            }
                            previous = seen;
                        }
                    }
                    passes.incrementAndGet();
                }
                return null;
            });
            Future<?> writer = pool.submit(() -> {
                readerStarted.await();
                WriteBatch next = new WriteBatch();
                for (int i = 1; i <= batches && violation.get() == null; i++) {
                    atomicBatch(next.clear(), i, keys, fillers, fillersBetween);
                    write(e, next, i % 2 == 0 ? Durability.DURABLE : Durability.VISIBLE);
                }
                writerDone.set(true);
                return null;
            });
            join(writer);
            join(reader);
        } finally {
            writerDone.set(true);
            pool.shutdownNow();
        }

        assertNull(violation.get());
        assertTrue(passes.get() > 0, "the reader ran");
        for (byte[] key : keys) {
            assertArrayEquals(longBytes(batches), valueOf(engine, key));
        }
    }

    private static WriteBatch atomicBatch(WriteBatch batch, long i, byte[][] keys, byte[][] fillers, int between) {
        byte[] value = longBytes(i);
        for (int j = 0; j < keys.length; j++) {
            batch.put(keys[j], value);
            for (int n = j * between; n < (j + 1) * between; n++) {
                batch.put(fillers[n], value);
            }
        }
        return batch;
    }

    @Test
    public void callerMayReuseTheBatchAsSoonAsOfferReturns() throws IOException {
        WriteBatch batch = new WriteBatch().put(bytes("k1"), bytes("v1"));
        CompletableFuture<Long> first = engine.write(batch, Durability.DURABLE);
        batch.clear().put(bytes("k2"), bytes("v2"));
        CompletableFuture<Long> second = engine.write(batch, Durability.DURABLE);
        batch.clear().put(bytes("garbage"), bytes("must not be stored"));

        await(first);
        await(second);

        assertEquals(expected(record(bytes("k1"), bytes("v1"), EMPTY), record(bytes("k2"), bytes("v2"), EMPTY)),
                contents(engine));
    }

    // ---------------------------------------------------------------- concurrency and ordering

    /**
     * Half the writers end a burst every few writes ({@link StorageEngine#endOfBurst}, as a
     * transport's event loop does, so an engine may commit on their threads), half never do.
     */
    @Test
    public void concurrentWritersLoseNoWrite() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        StorageEngine e = engine;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CompletableFuture<Long>>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<Long>> futures = new ArrayList<>(perThread);
                    WriteBatch batch = new WriteBatch();
                    boolean endsBursts = thread % 2 == 1;
                    for (int i = 0; i < perThread; i++) {
                        batch.clear().put(bytes("w" + thread + "-" + i), bytes("value-" + thread + "-" + i));
                        futures.add(e.write(batch, Durability.DURABLE));
                        if (endsBursts && i % 8 == 7) {
                            e.endOfBurst(EventLoopFsync.NONE);
                        }
                    }
                    if (endsBursts) {
                        e.endOfBurst(EventLoopFsync.NONE);
                    }
                    return futures;
                }));
            }
            start.countDown();
            Set<Long> sequences = new TreeSet<>();
            for (Future<List<CompletableFuture<Long>>> result : results) {
                for (CompletableFuture<Long> future : join(result)) {
                    sequences.add(await(future));
                }
            }
            assertEquals(threads * perThread, sequences.size(), "every write has its own sequence number");
        } finally {
            pool.shutdownNow();
        }

        assertEquals(threads * perThread, engine.keyCount());
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertArrayEquals(bytes("value-" + t + "-" + i), valueOf(engine, bytes("w" + t + "-" + i)),
                        "key w" + t + "-" + i);
            }
        }
    }

    @Test
    public void writesOfferedByOneThreadCompleteOnceEachInOfferOrder() throws Exception {
        int writes = 500;
        byte[] key = bytes("ordered");
        ConcurrentLinkedQueue<long[]> completions = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(writes);
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < writes; i++) {
            int index = i;
            batch.clear().put(key, bytes("v" + i));
            offer(engine, batch, i % 3 == 0 ? Durability.VISIBLE : Durability.DURABLE, (sequence, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                completions.add(new long[] {index, sequence});
                done.countDown();
            });
        }
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "every write completes");
        write(engine, new WriteBatch().put(bytes("after"), bytes("x")), Durability.DURABLE);

        assertNull(failure.get());
        List<long[]> order = new ArrayList<>(completions);
        assertEquals(writes, order.size(), "each completion is called exactly once");
        for (int i = 0; i < writes; i++) {
            assertEquals(i, order.get(i)[0], "completion " + i + " is for the write offered " + i + "th");
            if (i > 0) {
                assertTrue(order.get(i)[1] > order.get(i - 1)[1], "sequence numbers increase in offer order");
            }
        }
        assertArrayEquals(bytes("v" + (writes - 1)), valueOf(engine, key), "the last write offered wins");
    }

    // ---------------------------------------------------------------- restarts

    @Test
    public void reopenKeepsPutsOverwritesDeletesAndBatches() throws IOException {
        put(engine, bytes("a"), bytes("1"));
        put(engine, bytes("b"), bytes("2"));
        put(engine, bytes("c"), bytes("3"));
        write(engine, new WriteBatch().put(bytes("b"), bytes("22"), bytes("mb")), Durability.DURABLE);
        delete(engine, bytes("c"));
        write(engine, new WriteBatch().put(bytes("d"), bytes("4")).put(bytes("e"), bytes("5")).delete(bytes("a")),
                Durability.DURABLE);
        write(engine, new WriteBatch().put(bytes("f"), bytes("6")), Durability.VISIBLE);
        Map<String, StoredRecord> before = contents(engine);

        reopen();

        Map<String, StoredRecord> want = expected(
                record(bytes("b"), bytes("22"), bytes("mb")),
                record(bytes("d"), bytes("4"), EMPTY),
                record(bytes("e"), bytes("5"), EMPTY),
                record(bytes("f"), bytes("6"), EMPTY));
        assertEquals(want, before);
        assertEquals(want, contents(engine));
        assertEquals(Optional.empty(), engine.get(bytes("a")));
        assertEquals(Optional.empty(), engine.get(bytes("c")));
        assertEquals(4, engine.keyCount());
    }

    @Test
    public void reopenOfAnEmptyEngineIsEmpty() throws IOException {
        reopen();

        assertEquals(Map.of(), contents(engine));
        assertEquals(0, engine.keyCount());
        assertEquals(0, engine.lastSequence());
    }

    @Test
    public void lastSequenceIncreasesAndSurvivesReopen() throws IOException {
        assertEquals(0, engine.lastSequence(), "nothing written yet");

        long first = put(engine, bytes("a"), bytes("1"));
        assertTrue(first > 0);
        assertEquals(first, engine.lastSequence());
        long second = write(engine, new WriteBatch().put(bytes("b"), bytes("2")).delete(bytes("a")), Durability.DURABLE);
        assertTrue(second > first);
        long third = delete(engine, bytes("no-such-key"));
        assertTrue(third > second);
        assertEquals(third, engine.lastSequence());

        reopen();

        assertEquals(third, engine.lastSequence());
        long fourth = put(engine, bytes("c"), bytes("3"));
        assertTrue(fourth > third, "sequence numbers keep increasing after a restart");
        assertEquals(fourth, engine.lastSequence());
    }

    @Test
    public void writeAfterCloseFailsWithShuttingDown() throws IOException {
        StorageEngine e = engine;
        closeEngine(e);

        WriteBatch batch = new WriteBatch().put(bytes("k"), bytes("v"));
        ModkvException thrown = assertThrows(ModkvException.class,
                () -> e.offer(batch, Durability.DURABLE, (sequence, failure) -> { }));
        assertEquals(ErrorCode.SHUTTING_DOWN, thrown.code());

        CompletableFuture<Long> future = e.write(batch, Durability.DURABLE);
        ExecutionException viaFuture = assertThrows(ExecutionException.class,
                () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        ModkvException cause = assertInstanceOf(ModkvException.class, viaFuture.getCause());
        assertEquals(ErrorCode.SHUTTING_DOWN, cause.code());
    }

    // ---------------------------------------------------------------- sizes and odd bytes

    @Test
    public void largeValueRoundTripsAndSurvivesReopen() throws IOException {
        byte[] large = new byte[4 << 20];
        new Random(42).nextBytes(large);
        write(engine, new WriteBatch().put(bytes("small-before"), bytes("s")).put(bytes("large"), large),
                Durability.DURABLE);
        put(engine, bytes("small-after"), bytes("t"));

        assertArrayEquals(large, valueOf(engine, bytes("large")));
        reopen();

        assertArrayEquals(large, valueOf(engine, bytes("large")));
        assertArrayEquals(bytes("s"), valueOf(engine, bytes("small-before")));
        assertArrayEquals(bytes("t"), valueOf(engine, bytes("small-after")));
        assertEquals(3, engine.keyCount());
    }

    @Test
    public void emptyValueIsStoredAndDistinctFromAbsent() throws IOException {
        put(engine, bytes("empty"), EMPTY);

        assertEquals(Optional.of(record(bytes("empty"), EMPTY, EMPTY)), engine.get(bytes("empty")));
        assertEquals(1, engine.keyCount());
        reopen();
        assertEquals(Optional.of(record(bytes("empty"), EMPTY, EMPTY)), engine.get(bytes("empty")));
    }

    @Test
    public void emptyKeyIsAKeyLikeAnyOther() throws IOException {
        put(engine, EMPTY, bytes("value of the empty key"));
        put(engine, new byte[] {0}, bytes("value of 0x00"));

        assertArrayEquals(bytes("value of the empty key"), valueOf(engine, EMPTY));
        assertEquals(2, contents(engine).size());
        reopen();
        assertArrayEquals(bytes("value of the empty key"), valueOf(engine, EMPTY));

        delete(engine, EMPTY);
        assertNull(valueOf(engine, EMPTY));
        assertArrayEquals(bytes("value of 0x00"), valueOf(engine, new byte[] {0}));
        assertEquals(1, engine.keyCount());
    }

    @Test
    public void everySingleByteKeyIsADistinctKey() throws IOException {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            futures.add(engine.write(new WriteBatch().put(new byte[] {(byte) b}, new byte[] {(byte) b, (byte) ~b}),
                    Durability.DURABLE));
        }
        futures.forEach(StorageTestOperations::await);

        for (int pass = 0; pass < 2; pass++) {
            assertEquals(256, engine.keyCount());
            assertEquals(256, contents(engine).size());
            for (int b = 0; b < 256; b++) {
                assertArrayEquals(new byte[] {(byte) b, (byte) ~b}, valueOf(engine, new byte[] {(byte) b}), "key " + b);
            }
            reopen();
        }
    }

    @Test
    public void binaryKeysWithZeroBytesAndInvalidUtf8StayDistinct() throws IOException {
        byte[][] keys = {
            {0}, {0, 0}, {1}, {1, 0}, {0, 1},
            {(byte) 0xC3, 0x28},                     // invalid 2-byte sequence
            {(byte) 0xFF, 0x28},                     // decodes to the same replacement text as the one above
            {(byte) 0xC0, (byte) 0x80},              // overlong NUL
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // encoded UTF-16 surrogate
            {(byte) 0xFF, (byte) 0xFE, (byte) 0xFD, 0, (byte) 0x80},
        };
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < keys.length; i++) {
            batch.put(keys[i], bytes("value-" + i));
        }
        write(engine, batch, Durability.DURABLE);

        for (int pass = 0; pass < 2; pass++) {
            assertEquals(keys.length, engine.keyCount());
            for (int i = 0; i < keys.length; i++) {
                assertArrayEquals(bytes("value-" + i), valueOf(engine, keys[i]), "key " + HEX.formatHex(keys[i]));
            }
            assertEquals(keys.length, contents(engine).size());
            reopen();
        }
        delete(engine, keys[0]);
        assertNull(valueOf(engine, keys[0]));
        assertArrayEquals(bytes("value-1"), valueOf(engine, keys[1]), "deleting {0} leaves {0,0}");
    }

    @Test
    public void metadataRoundTripsAndSurvivesReopen() throws IOException {
        byte[] binaryMetadata = new byte[1000];
        new Random(7).nextBytes(binaryMetadata);
        write(engine, new WriteBatch().put(bytes("k"), bytes("v1"), bytes("version=1")), Durability.DURABLE);
        write(engine, new WriteBatch().put(bytes("k"), bytes("v2"), bytes("version=2")), Durability.DURABLE);
        write(engine, new WriteBatch()
                .put(bytes("binary"), bytes("x"), binaryMetadata)
                .put(bytes("tombstone-like"), EMPTY, new byte[] {1}), Durability.DURABLE);
        write(engine, new WriteBatch().put(bytes("dropped"), bytes("y"), bytes("old")), Durability.DURABLE);
        write(engine, new WriteBatch().put(bytes("dropped"), bytes("y")), Durability.DURABLE);

        Map<String, StoredRecord> want = expected(
                record(bytes("k"), bytes("v2"), bytes("version=2")),
                record(bytes("binary"), bytes("x"), binaryMetadata),
                record(bytes("tombstone-like"), EMPTY, new byte[] {1}),
                record(bytes("dropped"), bytes("y"), EMPTY));
        assertEquals(want, contents(engine));
        assertEquals(Optional.of(want.get(HEX.formatHex(bytes("binary")))), engine.get(bytes("binary")));
        reopen();
        assertEquals(want, contents(engine));
        assertEquals(Optional.of(want.get(HEX.formatHex(bytes("k")))), engine.get(bytes("k")));
    }

    /**
     * The kernel keeps each key's version and expiry in a header at the front of the metadata
     * ({@link RecordHeader}, docs/design/kv-api.md): stamped as the kernel's decider stamps them,
     * they read back exactly, across reopen and checkpoint/restore; a record stored without one (as
     * every record was before versions existed) reads as the legacy version without expiry.
     */
    @Test
    public void versionAndExpiryHeadersRoundTripAndRecordsWithoutOneReadAsLegacy() throws IOException {
        write(engine, new WriteBatch().put(bytes("old"), bytes("stored before versions")), Durability.DURABLE);
        WriteDecider decider = new WriteDecider(engine::get);
        long expiry = 4_102_444_800_000L; // 2100-01-01
        WriteBatch first = decider.decide(ConditionalWrite.unconditional(new WriteBatch()
                .put(bytes("plain"), bytes("v"))
                .put(bytes("expiring"), bytes("e"), ConditionalWrite.expiring(expiry))), 41, 0);
        write(engine, first, Durability.DURABLE);
        decider.completed(41);
        WriteBatch second = decider.decide(new ConditionalWrite(
                List.of(Condition.versionEquals(bytes("plain"), 41)),
                new WriteBatch().put(bytes("plain"), bytes("v2"))), 42, 0);
        write(engine, second, Durability.DURABLE);
        decider.completed(42);
        assertNull(decider.decide(new ConditionalWrite(List.of(Condition.versionEquals(bytes("plain"), 41)),
                new WriteBatch().put(bytes("plain"), bytes("stale"))), 43, 0), "a stale version does not apply");

        Map<String, RecordHeader> want = new TreeMap<>(Map.of(
                "old", RecordHeader.LEGACY,
                "plain", new RecordHeader(42, RecordHeader.NO_EXPIRY),
                "expiring", new RecordHeader(41, expiry)));
        assertEquals(want, headers(engine));
        assertArrayEquals(bytes("v2"), valueOf(engine, bytes("plain")));
        reopen();
        assertEquals(want, headers(engine), "headers survive a reopen");
        ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
        engine.checkpoint(checkpoint);
        StorageEngine restored = openEngine(dataRoot().resolve("restored-headers"));
        restored.restore(new ByteArrayInputStream(checkpoint.toByteArray()));
        assertEquals(want, headers(restored), "headers survive a checkpoint and restore");
        assertTrue(new RecordHeader(41, expiry).expiredAt(expiry));
        assertFalse(new RecordHeader(41, expiry).expiredAt(expiry - 1));
    }

    private static Map<String, RecordHeader> headers(StorageEngine engine) throws IOException {
        Map<String, RecordHeader> headers = new TreeMap<>();
        engine.scan(record -> headers.put(new String(record.key(), StandardCharsets.UTF_8), RecordHeader.of(record)));
        return headers;
    }

    // ---------------------------------------------------------------- scan and counts

    @Test
    public void scanReturnsExactlyTheLiveRecords() throws IOException {
        Map<String, StoredRecord> model = new TreeMap<>();
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < 200; i++) {
            byte[] key = bytes("key-" + i);
            batch.put(key, bytes("value-" + i));
            model.put(HEX.formatHex(key), record(key, bytes("value-" + i), EMPTY));
        }
        write(engine, batch, Durability.DURABLE);
        batch.clear();
        for (int i = 0; i < 200; i += 3) {
            byte[] key = bytes("key-" + i);
            batch.delete(key);
            model.remove(HEX.formatHex(key));
        }
        for (int i = 1; i < 200; i += 5) {
            byte[] key = bytes("key-" + i);
            batch.put(key, bytes("new-" + i), bytes("m" + i));
            model.put(HEX.formatHex(key), record(key, bytes("new-" + i), bytes("m" + i)));
        }
        write(engine, batch, Durability.DURABLE);

        assertEquals(model, contents(engine));
        reopen();
        assertEquals(model, contents(engine));
    }

    @Test
    public void keyCountTracksPutsOverwritesAndDeletes() throws IOException {
        assertEquals(0, engine.keyCount());
        put(engine, bytes("a"), bytes("1"));
        assertEquals(1, engine.keyCount());
        put(engine, bytes("b"), bytes("2"));
        assertEquals(2, engine.keyCount());
        put(engine, bytes("a"), bytes("overwritten"));
        assertEquals(2, engine.keyCount(), "an overwrite adds no key");
        delete(engine, bytes("a"));
        assertEquals(1, engine.keyCount());
        delete(engine, bytes("a"));
        delete(engine, bytes("never"));
        assertEquals(1, engine.keyCount(), "deleting a missing key removes nothing");
        write(engine, new WriteBatch().put(bytes("c"), bytes("3")).put(bytes("c"), bytes("33")).delete(bytes("b")),
                Durability.DURABLE);
        assertEquals(1, engine.keyCount());

        reopen();

        assertEquals(1, engine.keyCount());
        assertArrayEquals(bytes("33"), valueOf(engine, bytes("c")));
    }

    // ---------------------------------------------------------------- checkpoint and restore

    @Test
    public void checkpointRestoredIntoAFreshEngineGivesTheSameContent() throws IOException {
        byte[] large = new byte[1 << 20];
        new Random(3).nextBytes(large);
        for (int i = 0; i < 100; i++) {
            put(engine, bytes("key-" + i), bytes("value-" + i));
        }
        write(engine, new WriteBatch()
                .put(new byte[] {0, (byte) 0xFF}, EMPTY, bytes("meta"))
                .put(EMPTY, bytes("empty key"))
                .put(bytes("large"), large)
                .delete(bytes("key-7"))
                .delete(bytes("key-8")), Durability.DURABLE);
        Map<String, StoredRecord> source = contents(engine);
        ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();

        engine.checkpoint(checkpoint);

        Path freshDir = dataRoot().resolve("restored");
        StorageEngine fresh = openEngine(freshDir);
        put(fresh, bytes("only-in-target"), bytes("must be gone after restore"));
        put(fresh, bytes("key-1"), bytes("stale"));
        fresh.restore(new ByteArrayInputStream(checkpoint.toByteArray()));

        assertEquals(source, contents(fresh));
        assertEquals(source.size(), fresh.keyCount());
        closeEngine(fresh);
        StorageEngine reopened = openEngine(freshDir);
        assertEquals(source, contents(reopened), "a restore is durable");
        assertEquals(source, contents(engine), "the checkpoint left the source unchanged");
    }

    @Test
    public void checkpointOfAnEmptyEngineRestoresToEmpty() throws IOException {
        ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
        engine.checkpoint(checkpoint);

        StorageEngine fresh = openEngine(dataRoot().resolve("restored"));
        put(fresh, bytes("k"), bytes("v"));
        fresh.restore(new ByteArrayInputStream(checkpoint.toByteArray()));

        assertEquals(Map.of(), contents(fresh));
        assertEquals(0, fresh.keyCount());
        assertFalse(fresh.get(bytes("k")).isPresent());
    }
}
