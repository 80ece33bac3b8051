package org.modkv.testkit.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.DurableLog;

/**
 * The conformance suite of the durable-log capability ({@link DurableLog}, what
 * {@code StorageEngine.openLog} gives): every implementation passes it, the {@code wal}
 * engine's log and the simulation's {@code SimulatedDurableLog} alike, so a replication plugin
 * tested on the simulated log meets the same behaviour on disk. A test class extends it and says
 * how to open, reopen and (if it can) crash its log:
 *
 * <pre>{@code
 * class MyLogTest extends DurableLogContract {
 *     protected DurableLog openEmptyLog(Path dir) throws IOException { ... }
 *     protected DurableLog closeAndReopen(DurableLog log) throws IOException { ... }
 * }
 * }</pre>
 *
 * <p>What it checks, beyond the words of {@link DurableLog}'s Javadoc (which states each of
 * these): {@code append} numbers an entry as it returns ({@code lastIndex()} counts it and
 * {@code read} returns it at once, before it is durable); futures complete in index order;
 * truncations take effect when they return, and appends made before one still complete with the
 * index they were given, even when the truncation removed them; a prefix truncation past the
 * end starts the log over at that index; indexes outside {@code firstIndex()..lastIndex()} and a
 * suffix truncation before the first index are refused with {@link IllegalArgumentException};
 * {@code close} waits for every append, is idempotent, and afterwards only {@code firstIndex},
 * {@code lastIndex} and {@code close} work (the rest fail with
 * {@link ErrorCode#SHUTTING_DOWN}); everything survives a clean reopen; and, across a
 * crash ({@link #crashAndRestart}), every entry whose append completed
 * and every truncation that returned survives it.
 *
 * <p>Tests assert outcomes only and bound every wait ({@value #WAIT_SECONDS} s), so a hung log
 * fails rather than hangs the build.
 */
public abstract class DurableLogContract {
    /** Upper bound for waiting on one append or one thread; a guard against hangs only. */
    protected static final long WAIT_SECONDS = StorageTestOperations.WAIT_SECONDS;

    private DurableLog log;
    private final List<DurableLog> opened = new ArrayList<>();

    /** For subclasses; JUnit creates one instance per test. */
    protected DurableLogContract() {
    }

    /**
     * Opens a new, empty log for one test (called once per test, on the thread that runs it);
     * {@code dir} is a fresh directory it may keep its files and anything else in.
     */
    protected abstract DurableLog openEmptyLog(Path dir) throws IOException;

    /**
     * Closes {@code log} with {@link DurableLog#close()}, and whatever holds it (its storage
     * engine), then opens the same log again from what it stored, as a node restarted cleanly
     * does.
     */
    protected abstract DurableLog closeAndReopen(DurableLog log) throws IOException;

    /**
     * What a node finds when its process crashes at this instant and it restarts: the same log
     * opened again from what it had stored. {@code log} is not used after this call, but its
     * pending appends may still complete.
     */
    protected abstract DurableLog crashAndRestart(DurableLog log) throws IOException;

    /**
     * Whether the log may be called from several threads at once, as {@link DurableLog} says;
     * only a log confined to one thread by its environment (a deterministic simulation) says no,
     * and then the concurrency test is skipped.
     */
    protected boolean callableFromManyThreads() {
        return true;
    }

    /**
     * Returns once {@code future} is done, failing the test after {@value #WAIT_SECONDS} s. The
     * default waits on the calling thread; a simulated log runs its simulation until then.
     */
    protected void awaitDone(CompletableFuture<?> future) {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // done, exceptionally: the caller looks at the failure
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for " + future);
        } catch (TimeoutException e) {
            fail("not done within " + WAIT_SECONDS + " s: " + future);
        }
    }

    /** Releases what {@link #openEmptyLog} acquired; runs after every log the test opened was closed. */
    protected void release() throws Exception {
    }

    // ---------------------------------------------------------------- lifecycle and helpers

    @BeforeEach
    public final void openLogUnderTest(@TempDir Path dir) throws IOException {
        log = track(openEmptyLog(dir));
    }

    @AfterEach
    public final void closeEverythingOpened() throws Exception {
        Exception first = null;
        for (DurableLog each : opened) {
            try {
                each.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        try {
            release();
        } catch (Exception e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }

    /** The log under test (the latest one after {@link #reopenLog()} or {@link #crashLog()}). */
    protected final DurableLog log() {
        return log;
    }

    /** Closes the log under test and opens it again ({@link #closeAndReopen}). */
    protected final DurableLog reopenLog() throws IOException {
        log = track(closeAndReopen(log));
        return log;
    }

    /** Crashes the log under test and restarts it ({@link #crashAndRestart}). */
    protected final DurableLog crashLog() throws IOException {
        log = track(crashAndRestart(log));
        return log;
    }

    private DurableLog track(DurableLog opened) {
        this.opened.add(opened);
        return opened;
    }

    /** The index {@code future} completed with, waiting for it. */
    protected final long indexOf(CompletableFuture<Long> future) {
        awaitDone(future);
        try {
            return future.getNow(null);
        } catch (RuntimeException e) {
            throw new AssertionError("the append failed: " + e.getCause(), e.getCause());
        }
    }

    /** What {@code future} failed with, waiting for it. */
    protected final Throwable failureOf(CompletableFuture<?> future) {
        awaitDone(future);
        assertTrue(future.isCompletedExceptionally(), () -> "expected a failure, got " + future.getNow(null));
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        return e.getCause();
    }

    /** Entry {@code index} of the contract's tests: distinct per index and of varying length. */
    protected static byte[] entry(long index) {
        return ("entry-" + index + "-" + "x".repeat((int) (index % 23))).getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@link #entry}s numbered {@code from..to} and returns their futures, without waiting. */
    protected static List<CompletableFuture<Long>> appendEntries(DurableLog log, long from, long to) {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            futures.add(log.append(entry(i)));
        }
        return futures;
    }

    /** Appends {@link #entry}s numbered {@code from..to} and waits until each is durable at that index. */
    protected final void appendDurably(DurableLog log, long from, long to) {
        List<CompletableFuture<Long>> futures = appendEntries(log, from, to);
        for (int i = 0; i < futures.size(); i++) {
            assertEquals(from + i, indexOf(futures.get(i)), "index of the append of entry " + (from + i));
        }
    }

    /** Asserts that {@code log} holds exactly {@link #entry}s {@code first..last}. */
    protected static void assertHolds(DurableLog log, long first, long last) throws IOException {
        assertEquals(first, log.firstIndex(), "firstIndex");
        assertEquals(last, log.lastIndex(), "lastIndex");
        for (long i = first; i <= last; i++) {
            assertArrayEquals(entry(i), log.read(i), "entry " + i);
        }
    }

    private static void assertRefusedIndex(DurableLog log, long index) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.read(index),
                "read(" + index + ") of a log holding " + log.firstIndex() + ".." + log.lastIndex());
        assertTrue(e.getMessage() != null && e.getMessage().contains(Long.toString(index)),
                "the error names the index asked for: " + e.getMessage());
    }

    private static void assertShuttingDown(Throwable failure) {
        ModkvException e = assertInstanceOf(ModkvException.class, failure);
        assertEquals(ErrorCode.SHUTTING_DOWN, e.code(), e.getMessage());
    }

    // ---------------------------------------------------------------- append and read

    @Test
    public void aNewLogIsEmptyAndStartsAtIndexOne() {
        assertEquals(1, log.firstIndex());
        assertEquals(0, log.lastIndex());
        assertRefusedIndex(log, 1);
        assertRefusedIndex(log, 0);
    }

    @Test
    public void appendNumbersEachEntryAsItReturnsAndTheEntryIsReadableAtOnce() throws IOException {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            futures.add(log.append(entry(i)));
            assertEquals(i, log.lastIndex(), "lastIndex counts an append as soon as it returns");
            assertArrayEquals(entry(i), log.read(i), "an appended entry is readable before it is durable");
        }
        for (int i = 0; i < futures.size(); i++) {
            assertEquals(i + 1, indexOf(futures.get(i)), "the future completes with the entry's index");
        }
        assertHolds(log, 1, 100);
    }

    @Test
    public void appendFuturesCompleteInIndexOrder() {
        List<Long> completed = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Long>> futures = appendEntries(log, 1, 300);
        for (CompletableFuture<Long> future : futures) {
            future.thenAccept(completed::add);
        }
        indexOf(futures.get(futures.size() - 1));

        for (int i = 0; i < futures.size() - 1; i++) {
            assertTrue(futures.get(i).isDone(), "append " + (i + 1) + " completes before the last one");
        }
        synchronized (completed) {
            List<Long> sorted = new ArrayList<>(completed);
            Collections.sort(sorted);
            assertEquals(sorted, completed, "completion order");
        }
    }

    @Test
    public void appendCopiesTheEntryAndReadReturnsACopy() throws IOException {
        byte[] entry = entry(1);
        CompletableFuture<Long> append = log.append(entry);
        entry[0] = 'X';
        byte[] read = log.read(1);
        read[1] = 'Y';
        indexOf(append);

        assertArrayEquals(entry(1), log.read(1));
    }

    @Test
    public void emptySmallAndLargeEntriesRoundTripAcrossReopen() throws IOException {
        byte[] large = new byte[1 << 20];
        new Random(20).nextBytes(large);
        List<byte[]> entries = List.of(new byte[0], new byte[] {42}, large, new byte[0], entry(5));
        for (byte[] each : entries) {
            indexOf(log.append(each));
        }
        for (int pass = 0; pass < 2; pass++) {
            assertEquals(entries.size(), log.lastIndex());
            for (int i = 0; i < entries.size(); i++) {
                assertArrayEquals(entries.get(i), log.read(i + 1), "entry " + (i + 1) + ", pass " + pass);
            }
            reopenLog();
        }
    }

    @Test
    public void appendOfNullIsRefused() {
        try {
            CompletableFuture<Long> future = log.append(null);
            assertInstanceOf(NullPointerException.class, failureOf(future));
        } catch (NullPointerException expected) {
            // refused at once: as good as a failed future
        }
        assertEquals(0, log.lastIndex(), "a refused append takes no index");
    }

    @Test
    public void readOutsideTheHeldEntriesIsRefused() {
        appendDurably(log, 1, 10);
        assertRefusedIndex(log, 0);
        assertRefusedIndex(log, -1);
        assertRefusedIndex(log, 11);
        assertRefusedIndex(log, Long.MAX_VALUE);
    }

    // ---------------------------------------------------------------- truncations

    @Test
    public void truncateSuffixRemovesTheTailAndAppendsContinueFromThere() throws IOException {
        appendDurably(log, 1, 10);

        log.truncateSuffix(6);
        assertHolds(log, 1, 5);
        assertRefusedIndex(log, 6);
        byte[] replacement = "replacement-6".getBytes(StandardCharsets.UTF_8);
        assertEquals(6, indexOf(log.append(replacement)));
        assertArrayEquals(replacement, log.read(6));

        log.truncateSuffix(7);
        log.truncateSuffix(500);
        assertEquals(6, log.lastIndex(), "truncating from past the end changes nothing");
        log.truncateSuffix(1);
        assertEquals(1, log.firstIndex());
        assertEquals(0, log.lastIndex(), "truncating from the first index empties the log");
        assertEquals(1, indexOf(log.append(entry(1))));
    }

    @Test
    public void truncateSuffixBeforeTheFirstIndexIsRefused() throws IOException {
        appendDurably(log, 1, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(-3));

        log.truncatePrefix(5);
        e = assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(4));
        assertTrue(e.getMessage().contains("4"), e.getMessage());
        assertHolds(log, 5, 10);
    }

    @Test
    public void truncatePrefixMovesTheFirstIndex() throws IOException {
        appendDurably(log, 1, 10);

        log.truncatePrefix(4);
        assertHolds(log, 4, 10);
        assertRefusedIndex(log, 3);
        log.truncatePrefix(2);
        log.truncatePrefix(4);
        log.truncatePrefix(-1);
        assertEquals(4, log.firstIndex(), "truncating before the first index changes nothing");
        assertEquals(11, indexOf(log.append(entry(11))));
        assertHolds(log, 4, 11);
    }

    @Test
    public void truncatePrefixPastTheEndStartsTheLogOverAtThatIndex() throws IOException {
        appendDurably(log, 1, 3);

        log.truncatePrefix(4);
        assertEquals(4, log.firstIndex());
        assertEquals(3, log.lastIndex());
        assertRefusedIndex(log, 3);

        log.truncatePrefix(50);
        assertEquals(50, log.firstIndex());
        assertEquals(49, log.lastIndex());
        assertEquals(50, indexOf(log.append(entry(50))));
        assertHolds(log, 50, 50);
    }

    @Test
    public void appendsMadeBeforeATruncationCompleteWithTheIndexTheyWereGiven() throws IOException {
        List<CompletableFuture<Long>> beforeSuffix = appendEntries(log, 1, 8);
        log.truncateSuffix(5);
        assertEquals(4, log.lastIndex());
        CompletableFuture<Long> replacement = log.append(entry(5));
        List<CompletableFuture<Long>> beforePrefix = appendEntries(log, 6, 7);
        log.truncatePrefix(3);

        for (int i = 0; i < beforeSuffix.size(); i++) {
            assertEquals(i + 1, indexOf(beforeSuffix.get(i)), "append " + (i + 1) + ", even if truncated away");
        }
        assertEquals(5, indexOf(replacement));
        assertEquals(6, indexOf(beforePrefix.get(0)));
        assertEquals(7, indexOf(beforePrefix.get(1)));
        assertHolds(log, 3, 7);
    }

    // ---------------------------------------------------------------- close and reopen

    @Test
    public void closeWaitsForEveryAppendAndAReopenedLogHoldsThem() throws IOException {
        appendDurably(log, 1, 20);
        List<CompletableFuture<Long>> pending = appendEntries(log, 21, 60);

        reopenLog();
        for (int i = 0; i < pending.size(); i++) {
            assertEquals(21 + i, indexOf(pending.get(i)), "an append made before close completes");
        }
        assertHolds(log, 1, 60);
        assertEquals(61, indexOf(log.append(entry(61))));
    }

    @Test
    public void truncationsSurviveAReopen() throws IOException {
        appendDurably(log, 1, 30);
        log.truncateSuffix(21);
        log.truncatePrefix(11);

        reopenLog();
        assertHolds(log, 11, 20);
        appendDurably(log, 21, 22);

        log.truncatePrefix(100);
        reopenLog();
        assertEquals(100, log.firstIndex());
        assertEquals(99, log.lastIndex());
        assertEquals(100, indexOf(log.append(entry(100))));
    }

    @Test
    public void closeIsIdempotentAndAClosedLogRefusesEverythingButItsIndexes() throws IOException {
        appendDurably(log, 1, 3);
        log.close();
        log.close();

        assertEquals(1, log.firstIndex());
        assertEquals(3, log.lastIndex());
        CompletableFuture<Long> append;
        try {
            append = log.append(entry(4));
        } catch (RuntimeException e) {
            throw new AssertionError("append on a closed log fails its future instead of throwing", e);
        }
        assertShuttingDown(failureOf(append));
        assertShuttingDown(assertThrows(ModkvException.class, () -> log.read(1)));
        assertShuttingDown(assertThrows(ModkvException.class, () -> log.truncateSuffix(2)));
        assertShuttingDown(assertThrows(ModkvException.class, () -> log.truncatePrefix(2)));
        assertEquals(3, log.lastIndex());
    }

    // ---------------------------------------------------------------- crashes

    @Test
    public void aCrashKeepsEveryEntryWhoseAppendCompletedAndNothingElseOutOfOrder() throws IOException {
        List<CompletableFuture<Long>> acknowledged = appendEntries(log, 1, 40);
        indexOf(acknowledged.get(acknowledged.size() - 1));
        appendEntries(log, 41, 80);

        DurableLog restarted = crashLog();
        assertEquals(1, restarted.firstIndex());
        long last = restarted.lastIndex();
        assertTrue(last >= 40 && last <= 80, "the completed appends 1..40 survive, at most the 80 made: " + last);
        assertHolds(restarted, 1, last);
        assertEquals(last + 1, indexOf(restarted.append(entry(last + 1))));
    }

    @Test
    public void truncationsThatReturnedSurviveACrash() throws IOException {
        appendDurably(log, 1, 30);
        log.truncateSuffix(21);
        log.truncatePrefix(11);

        DurableLog restarted = crashLog();
        assertHolds(restarted, 11, 20);
        restarted.truncateSuffix(16);
        byte[] replacement = "replacement-16".getBytes(StandardCharsets.UTF_8);
        restarted.append(replacement);

        DurableLog again = crashLog();
        assertEquals(11, again.firstIndex());
        long last = again.lastIndex();
        assertTrue(last == 15 || last == 16, "entries 16.. were removed, then one appended: " + last);
        for (long i = 11; i <= 15; i++) {
            assertArrayEquals(entry(i), again.read(i), "entry " + i);
        }
        if (last == 16) {
            assertArrayEquals(replacement, again.read(16), "a removed entry never comes back");
        }
    }

    // ---------------------------------------------------------------- threads

    @Test
    public void concurrentAppendsGetDistinctConsecutiveIndexesWhileReadersRead() throws Exception {
        assumeTrue(callableFromManyThreads(), "the log is confined to one thread");
        int writers = 4;
        int perWriter = 250;
        ExecutorService threads = Executors.newFixedThreadPool(writers + 1);
        try {
            ConcurrentHashMap<Long, String> appended = new ConcurrentHashMap<>();
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(threads.submit(() -> {
                    start.await();
                    long previous = 0;
                    for (int i = 0; i < perWriter; i++) {
                        String text = "w" + writer + "-" + i;
                        long index = log.append(text.getBytes(StandardCharsets.UTF_8)).get(WAIT_SECONDS,
                                TimeUnit.SECONDS);
                        assertTrue(index > previous, "one thread's appends are numbered in the order it made them");
                        previous = index;
                        assertTrue(appended.putIfAbsent(index, text) == null, "index " + index + " given twice");
                    }
                    return null;
                }));
            }
            Future<?> reader = threads.submit(() -> {
                start.await();
                while (writing.get()) {
                    long last = log.lastIndex();
                    if (last >= 1) {
                        assertTrue(log.read(last).length > 0, "entry " + last);
                    }
                }
                return null;
            });
            start.countDown();
            for (Future<?> task : tasks) {
                task.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            writing.set(false);
            reader.get(WAIT_SECONDS, TimeUnit.SECONDS);

            long total = (long) writers * perWriter;
            assertEquals(total, log.lastIndex());
            assertEquals(total, appended.size());
            for (long i = 1; i <= total; i++) {
                assertEquals(appended.get(i), new String(log.read(i), StandardCharsets.UTF_8), "entry " + i);
            }
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
