package org.modkv.storage.perkey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modkv.storage.perkey.PerKeyTestFiles.bytes;
import static org.modkv.storage.perkey.PerKeyTestFiles.filesUnder;
import static org.modkv.storage.perkey.PerKeyTestFiles.holdingFlushes;
import static org.modkv.storage.perkey.PerKeyTestFiles.intentFiles;
import static org.modkv.storage.perkey.PerKeyTestFiles.keyFile;
import static org.modkv.storage.perkey.PerKeyTestFiles.options;
import static org.modkv.storage.perkey.PerKeyTestFiles.put;
import static org.modkv.storage.perkey.PerKeyTestFiles.value;
import static org.modkv.storage.perkey.PerKeyTestFiles.write;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;

/** The engine as files on disk, its limits and its failure mode. */
class PerKeyStorageEngineFilesTest {
    @TempDir
    Path temp;

    @Test
    void afterCloseEachKeyIsOnePlainFileAndTheIntentLogIsEmpty() throws IOException {
        Path dir = temp.resolve("data");
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, holdingFlushes())) {
            put(engine, "user:42", "hello");
            write(engine, new WriteBatch().put(bytes("gone"), bytes("x")).delete(bytes("gone")));
            assertEquals(2, intentFiles(dir).size(), "acknowledged, waiting for the flusher");
        }

        Path file = keyFile(dir, "user:42");
        assertEquals("user%3a42.kv", file.getFileName().toString());
        assertTrue(dir.resolve("keys").relativize(file).toString().matches("[0-9a-f]{2}/[0-9a-f]{2}/user%3a42\\.kv"),
                file.toString());
        byte[] content = Files.readAllBytes(file);
        assertEquals("MKVK", new String(content, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("user:42hello", new String(content, KeyFileFormat.HEADER_BYTES,
                content.length - KeyFileFormat.HEADER_BYTES, StandardCharsets.UTF_8), "header, key, metadata, value");
        assertEquals(List.of(file), filesUnder(dir.resolve("keys"), ".kv"));
        assertEquals(List.of(), intentFiles(dir));
        assertTrue(Files.readString(dir.resolve(CheckpointFile.NAME)).contains("sequence=2\n"));
        assertTrue(Files.readString(dir.resolve(DataLayout.FORMAT_FILE)).contains("fanout.levels=2\n"));
    }

    @Test
    void keyFilesCatchUpWhileTheEngineRuns() throws IOException {
        Path dir = temp.resolve("data");
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, holdingFlushes())) {
            put(engine, "k", "v1");
            assertTrue(Files.notExists(keyFile(dir, "k")));

            engine.flushNow();

            assertTrue(Files.exists(keyFile(dir, "k")));
            assertEquals(List.of(), intentFiles(dir));
            put(engine, "k", "v2");
            assertEquals("v2", value(engine, "k"), "reads never lag the files");
            assertEquals(1, engine.keyCount());
        }
    }

    /** perkey.ack=files (the default): what was acknowledged is in the key files, from many writers at once. */
    @Test
    void acknowledgedWritesAreInTheirKeyFilesAtOnce() throws Exception {
        Path dir = temp.resolve("data");
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, options(Map.of()))) {
            put(engine, "gone", "soon");
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                WriteBatch batch = new WriteBatch().put(bytes("k" + i), bytes("v" + i)).put(bytes("pair" + i), bytes("p" + i));
                if (i == 100) {
                    batch.delete(bytes("gone"));
                }
                writes.add(engine.write(batch, Durability.DURABLE));
            }
            for (int i = 0; i < writes.size(); i++) {
                writes.get(i).get(60, TimeUnit.SECONDS);
                for (String key : List.of("k" + i, "pair" + i)) {
                    Path file = keyFile(dir, key);
                    try (var channel = java.nio.channels.FileChannel.open(file)) {
                        assertEquals((key.startsWith("k") ? "v" : "p") + i,
                                new String(KeyFileFormat.read(file, channel).value(), StandardCharsets.UTF_8), key);
                    }
                }
            }
            assertTrue(Files.notExists(keyFile(dir, "gone")), "a delete is acknowledged once the file is gone");
            assertTrue(engine.stats().get("flushes") instanceof Long flushes && flushes < 200,
                    "concurrent writes share flushes: " + engine.stats());
            assertEquals(List.of(), intentFiles(dir), "every acknowledged write is checkpointed");
        }
    }

    /**
     * Scans (snapshots) run while batches are written and flushed; each must show whole batches
     * only. Without fsyncs a flush is quick enough to land in the middle of a scan's walk.
     */
    @Test
    void scanNeverShowsPartOfABatchWhileWritesAndFlushesGoOn() throws Exception {
        for (String ack : List.of("files", "intent")) {
            Path dir = temp.resolve("data-" + ack);
            try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir,
                    options(Map.of("perkey.ack", ack, "perkey.flush.delay.ms", "0", "perkey.sync", "none")))) {
                int keys = 300;
                WriteBatch first = new WriteBatch();
                for (int k = 0; k < keys; k++) {
                    first.put(bytes("slot-" + k), bytes("0"));
                }
                write(engine, first);
                java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.concurrent.atomic.AtomicInteger scans = new java.util.concurrent.atomic.AtomicInteger();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    // Until 20 scans have run during the writes (at most 30 s): a fixed number of
                    // batches could all be written before a busy machine ran three scans.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    for (int i = 1; scans.get() < 20 && System.nanoTime() < deadline; i++) {
                        WriteBatch batch = new WriteBatch();
                        for (int k = 0; k < keys; k++) {
                            batch.put(bytes("slot-" + k), bytes(Integer.toString(i)));
                        }
                        write(engine, batch);
                    }
                    done.set(true);
                });
                while (!done.get()) {
                    java.util.Set<String> values = new java.util.TreeSet<>();
                    int[] seen = {0};
                    engine.scan(record -> {
                        values.add(new String(record.value(), StandardCharsets.UTF_8));
                        seen[0]++;
                    });
                    assertEquals(keys, seen[0], ack + ": each key once");
                    assertEquals(1, values.size(), ack + ": a scan showed part of a batch: " + values);
                    scans.incrementAndGet();
                    Thread.sleep(1); // let the flusher in: a scan holds the files still
                }
                writer.get(60, TimeUnit.SECONDS);
                assertTrue(scans.get() >= 3, ack + ": scans ran during the writes: " + scans);
            }
        }
    }

    @Test
    void tenKibKeysRoundTripThroughHashedFileNames() throws IOException {
        byte[] key = new byte[10 * 1024];
        Arrays.fill(key, (byte) 'k');
        byte[] sibling = key.clone();
        sibling[sibling.length - 1] = '!';
        Path dir = temp.resolve("data");
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, PerKeyOptions.defaults())) {
            write(engine, new WriteBatch().put(key, bytes("one"), bytes("meta")).put(sibling, bytes("two")));
        }
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, PerKeyOptions.defaults())) {
            assertArrayEquals(bytes("one"), engine.get(key).orElseThrow().value());
            assertArrayEquals(bytes("meta"), engine.get(key).orElseThrow().metadata());
            assertArrayEquals(key, engine.get(key).orElseThrow().key());
            assertArrayEquals(bytes("two"), engine.get(sibling).orElseThrow().value());
            assertEquals(2, engine.keyCount());
            List<Path> files = filesUnder(dir.resolve("keys"), ".kv");
            assertEquals(2, files.size());
            files.forEach(f -> assertTrue(KeyFileNames.isHashed(f.getFileName().toString()), f.toString()));
        }
    }

    @Test
    void batchLargerThanThePendingLimitIsRefusedAsTooLarge() throws IOException {
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(temp.resolve("data"),
                options(Map.of("perkey.pending.bytes", "64KiB")))) {
            WriteBatch huge = new WriteBatch().put(bytes("k"), new byte[100 << 10]);

            ModkvException e = assertThrows(ModkvException.class, () -> engine.offer(huge, Durability.DURABLE, (s, f) -> { }));

            assertEquals(ErrorCode.TOO_LARGE, e.code());
            assertTrue(e.getMessage().contains("perkey.pending.bytes"), e.getMessage());
        }
    }

    @Test
    void writesBeyondThePendingLimitWaitForTheFlusherAndAllLand() throws Exception {
        Path dir = temp.resolve("data");
        Map<String, String> smallLimit = Map.of("perkey.pending.bytes", "64KiB", "perkey.flush.delay.ms", "0");
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, options(smallLimit))) {
            for (int i = 0; i < 100; i++) {
                futures.add(engine.write(new WriteBatch().put(bytes("k" + i), new byte[4096]), Durability.DURABLE));
            }
            for (CompletableFuture<Long> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            assertEquals(100, engine.keyCount());
        }
        assertEquals(100, filesUnder(dir.resolve("keys"), ".kv").size());
    }

    @Test
    void flatUnsyncedSingleStripeConfigurationKeepsTheSameContract() throws IOException {
        Path dir = temp.resolve("data");
        PerKeyOptions flat = options(Map.of("perkey.sync", "none", "perkey.fanout.levels", "0",
                "perkey.lock.stripes", "1", "perkey.flush.threads", "1", "perkey.flush.delay.ms", "0"));
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, flat)) {
            put(engine, "a", "1");
            write(engine, new WriteBatch().put(bytes("b"), bytes("2")).put(bytes("a"), bytes("3")).delete(bytes("x")));
            assertEquals(0L, engine.stats().get("fsyncs"));
        }
        assertTrue(Files.exists(dir.resolve("keys").resolve("a.kv")), "no fan-out directories");
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, flat)) {
            assertEquals("3", value(engine, "a"));
            assertEquals("2", value(engine, "b"));
            assertEquals(2, engine.keyCount());
            assertEquals(2, engine.lastSequence());
        }
    }

    @Test
    void statsDescribeTheEngine() throws IOException {
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(temp.resolve("data"), holdingFlushes())) {
            put(engine, "a", "1");
            Map<String, Object> stats = engine.stats();

            assertEquals(1L, stats.get("keys"));
            assertEquals(1L, stats.get("last_sequence"));
            assertEquals(1, stats.get("pending_keys"));
            assertEquals(1, stats.get("intent_files"));
            assertEquals("always", stats.get("sync"));
            assertTrue(((Long) stats.get("fsyncs")) >= 2, "intent file and intents directory: " + stats);
            assertEquals(false, stats.get("failed"));
        }
    }

    @Test
    void aFailedIntentWriteFailsTheWriteAndRefusesLaterOnesButReadsGoOn() throws Exception {
        Path dir = temp.resolve("data");
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, PerKeyOptions.defaults())) {
            put(engine, "kept", "yes");
            engine.flushNow();
            Path intents = dir.resolve(DataLayout.INTENTS_DIR);
            Files.delete(intents);
            Files.write(intents, new byte[0]); // the next intent file cannot be created

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> engine.write(new WriteBatch().put(bytes("lost"), bytes("x")), Durability.DURABLE)
                            .get(60, TimeUnit.SECONDS));
            ModkvException cause = assertInstanceOf(ModkvException.class, failed.getCause());
            assertEquals(ErrorCode.STORAGE_FAILURE, cause.code());
            assertTrue(cause.getMessage().contains("intent log"), cause.getMessage());

            ModkvException refused = assertThrows(ModkvException.class,
                    () -> engine.offer(new WriteBatch().put(bytes("later"), bytes("x")), Durability.DURABLE, (s, f) -> { }));
            assertEquals(ErrorCode.STORAGE_FAILURE, refused.code());
            assertEquals("yes", value(engine, "kept"));
            assertNull(value(engine, "lost"));
            assertEquals(true, engine.stats().get("failed"));

            Files.delete(intents);
            Files.createDirectory(intents);
        }
        try (PerKeyStorageEngine engine = PerKeyStorageEngine.open(dir, PerKeyOptions.defaults())) {
            assertEquals("yes", value(engine, "kept"));
            assertNull(value(engine, "lost"));
        }
    }
}
