package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.WriteBatch;

/**
 * The restart target, measured: 10 million keys with 100-byte values, then the time from
 * {@code open} to the first read served, with hint files for the sealed segments (what the
 * background merger leaves) and without any (a full replay), each in a fresh JVM. Also the key
 * directory's memory per key, on and off the heap. A measurement, not a CI test: tagged {@code soak}
 * ({@code mvn -B test -pl storage-wal -Dsoak -Dtest=RestartTimeSoakTest}); the key count can be
 * changed with {@code -Dmodkv.restart.keys=N}, and {@code -Dmodkv.restart.dir=DIR} keeps the data
 * (an empty directory) for a closer look.
 */
@Tag("soak")
class RestartTimeSoakTest {
    private static final int VALUE_BYTES = 100;
    private static final int KEYS_PER_BATCH = 1000;
    /** Writing 1 here drops the page cache (root only; not writable in most containers). */
    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    @TempDir
    Path tempDir;
    private Path dir;

    private static byte[] key(long i) {
        byte[] key = {'k', 'e', 'y', '-', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'};
        for (int p = key.length - 1; i > 0; p--, i /= 10) {
            key[p] = (byte) ('0' + i % 10);
        }
        return key;
    }

    @Test
    void tenMillionKeysServeAgainWithinFiveSecondsOfARestart() throws Exception {
        long keys = Long.getLong("modkv.restart.keys", 10_000_000L);
        String keep = System.getProperty("modkv.restart.dir");
        dir = keep == null ? tempDir : Files.createDirectories(Path.of(keep));
        WalOptions options = WalTestSupport.options("wal.sync", "none");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();

        long loadStart = System.nanoTime();
        try (WalStorageEngine engine = WalTestSupport.open(dir, options)) {
            byte[] value = new byte[VALUE_BYTES];
            Arrays.fill(value, (byte) 'v');
            WriteBatch batch = new WriteBatch(KEYS_PER_BATCH * 160);
            AtomicLong completed = new AtomicLong();
            long offered = 0;
            for (long i = 0; i < keys; i += KEYS_PER_BATCH) {
                batch.clear();
                for (long k = i; k < Math.min(keys, i + KEYS_PER_BATCH); k++) {
                    batch.put(key(k), value);
                }
                while (!engine.offer(batch, Durability.DURABLE, (sequence, failure) -> completed.incrementAndGet())) {
                    Thread.onSpinWait();
                }
                offered++;
            }
            while (completed.get() < offered) {
                Thread.sleep(1);
            }
            System.gc();
            long heapWithKeys = memory.getHeapMemoryUsage().getUsed();
            assertEquals(keys, engine.keyCount());
            System.out.printf("loaded %,d keys in %d ms; key directory: %.1f off-heap bytes per key (%,d bytes, "
                            + "%,d slots), %.2f heap bytes per key (heap %,d -> %,d bytes); data %,d bytes in %d files%n",
                    keys, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart),
                    (double) engine.directory().offHeapBytes() / keys, engine.directory().offHeapBytes(),
                    engine.directory().capacity(), (double) (heapWithKeys - heapBefore) / keys, heapBefore,
                    heapWithKeys, ((Number) engine.stats().get("total_bytes")).longValue(),
                    engine.files().all().size());
            long hintStart = System.nanoTime();
            int hints = engine.merger().writeMissingHints();
            System.out.printf("wrote %d hint files in %d ms%n", hints,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hintStart));
        }

        long withHints = medianRestartMillis(keys, "with hint files for the sealed segments", false);
        if (Files.isWritable(DROP_CACHES)) {
            long cold = medianRestartMillis(keys, "with hint files, page cache dropped before each start", true);
            System.out.printf("median restart from a cold page cache, JVM start to first read served: %d ms%n", cold);
        } else {
            System.out.println("cannot drop the page cache (" + DROP_CACHES + " is not writable): no cold-start figure");
        }
        for (Path hint : WalFiles.filesEndingWith(dir, HintFile.SUFFIX)) {
            Files.delete(hint);
        }
        long replayed = medianRestartMillis(keys, "without hint files (every segment replayed)", false);
        System.out.printf("median restart, JVM start to first read served: %d ms with hints, %d ms replaying "
                + "everything%n", withHints, replayed);
        assertTrue(withHints < 5_000, "restart with hints took " + withHints + " ms; the target is 5 s");
    }

    /**
     * Restarts three times in fresh JVMs; the median time from JVM start to the first read
     * served. {@code cold}: the page cache is dropped before each start, so the hint files and
     * the value read come from the disk.
     */
    private long medianRestartMillis(long keys, String how, boolean cold) throws IOException, InterruptedException {
        long[] millis = new long[3];
        for (int i = 0; i < millis.length; i++) {
            if (cold) {
                assertEquals(0, new ProcessBuilder("sync").inheritIO().start().waitFor());
                Files.writeString(DROP_CACHES, "1");
            }
            Restart restart = restartInAFreshJvm(keys, how);
            assertTrue(restart.found());
            millis[i] = restart.sinceJvmStartMs();
        }
        Arrays.sort(millis);
        return millis[1];
    }

    /** What a fresh JVM reported. */
    record Restart(boolean found, long keys, long openMs, long sinceJvmStartMs, long heapBytes, long offHeapBytes) {
    }

    /** Starts {@link org.modkv.storage.wal.soak.RestartTimer} on the directory and reads its report. */
    private Restart restartInAFreshJvm(long keys, String how) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(), "-Xmx1g",
                "--add-exports", "java.base/jdk.internal.misc=org.agrona",
                "--module-path", System.getProperty("jdk.module.path"), "--add-modules", "ALL-MODULE-PATH",
                "--class-path", System.getProperty("java.class.path"),
                "org.modkv.storage.wal.soak.RestartTimer", dir.toString(),
                new String(key(keys / 2), StandardCharsets.UTF_8)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), output);
        Map<String, String> fields = new HashMap<>();
        String report = output.lines().filter(l -> l.startsWith("found=")).findFirst().orElseThrow(
                () -> new AssertionError("no report from the restarted JVM:\n" + output));
        for (String field : report.split(" ")) {
            String[] pair = field.split("=", 2);
            fields.put(pair[0], pair[1]);
        }
        Restart restart = new Restart(Boolean.parseBoolean(fields.get("found")), Long.parseLong(fields.get("keys")),
                Long.parseLong(fields.get("open_ms")), Long.parseLong(fields.get("since_jvm_start_ms")),
                Long.parseLong(fields.get("heap_bytes")), Long.parseLong(fields.get("offheap_bytes")));
        assertEquals(keys, restart.keys());
        System.out.printf("restart %s: first read served %d ms after open, %d ms after JVM start; key directory "
                        + "%.1f off-heap bytes per key; whole JVM heap after GC %,d bytes (%.2f per key)%n", how,
                restart.openMs(), restart.sinceJvmStartMs(), (double) restart.offHeapBytes() / keys,
                restart.heapBytes(), (double) restart.heapBytes() / keys);
        return restart;
    }
}
