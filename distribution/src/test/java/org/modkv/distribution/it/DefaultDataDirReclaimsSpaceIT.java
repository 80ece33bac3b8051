package org.modkv.distribution.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.client.ClientOptions;
import org.modkv.client.KeyValue;
import org.modkv.client.ModkvClient;

/**
 * A node started the way the README says, from a working directory of its own with the default
 * {@code data.dir=./data}, reclaims the space of overwritten values: under an overwrite workload
 * it merges, and its storage's disk use stays within twice the live data plus a few segments. (Before,
 * every merge of such a node failed, on the relative directory, and the disk filled: every
 * other process-level test gave data.dir as an absolute path.)
 */
class DefaultDataDirReclaimsSpaceIT {
    private static final int KEYS = 200;
    private static final int VALUE_BYTES = 1000;
    private static final int ROUNDS = 100;
    private static final int BATCH = 50;
    private static final long SEGMENT_BYTES = 256 << 10;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    @Test
    void overwritesOnTheDefaultDataDirAreMergedAndDiskUseStaysBounded() throws Exception {
        try (NodeProcess node = NodeProcess.startIn(workDir, "--set", "wal.segment.bytes=" + SEGMENT_BYTES,
                "--set", "wal.merge.interval.ms=100");
             ModkvClient client = ModkvClient.connect(ClientOptions.defaults(node.tcp())
                     .withRequestTimeout(Duration.ofSeconds(20)))) {
            Path data = workDir.resolve("data");
            assertTrue(Files.isDirectory(data.resolve("storage-wal")), "the node keeps its files under ./data");

            long liveBytes = 0;
            for (int round = 0; round < ROUNDS; round++) {
                List<KeyValue> batch = new ArrayList<>();
                for (int i = 0; i < KEYS; i++) {
                    batch.add(new KeyValue(key(i), value(round, i)));
                    if (batch.size() == BATCH) {
                        client.bulkPut(batch);
                        batch = new ArrayList<>();
                    }
                }
            }
            for (int i = 0; i < KEYS; i++) {
                liveBytes += key(i).length + value(ROUNDS - 1, i).length;
            }
            long written = (long) ROUNDS * liveBytes;
            long bound = 2 * liveBytes + 4 * SEGMENT_BYTES;

            // The storage engine's files: the default node also keeps its fulltext index under
            // ./data/index-fulltext, derived data whose size is Lucene's merge policy's business.
            Path storageFiles = data.resolve("storage-wal");
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Map<String, String> storage = client.stats().get("storage");
            while ((Long.parseLong(storage.get("merges")) == 0 || diskBytes(storageFiles) > bound)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
                storage = client.stats().get("storage");
            }
            long disk = diskBytes(storageFiles);
            System.out.printf("default data.dir: wrote %d bytes over %d keys (%d live); disk %d bytes (bound %d), "
                    + "merges %s%n", written, KEYS, liveBytes, disk, bound, storage.get("merges"));

            assertTrue(Long.parseLong(storage.get("merges")) > 0, "the node merged: " + storage);
            assertEquals("0", storage.get("merge_failures"), storage.toString());
            assertEquals("yes", storage.get("merge_reclaiming"), storage.toString());
            assertTrue(disk <= bound, "disk use " + disk + " bytes is within 2 x " + liveBytes + " live bytes + 4 "
                    + "segments = " + bound + " after writing " + written + " bytes; files: " + listing(data)
                    + "; storage stats: " + storage);

            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                keys.add(key(i));
            }
            List<Optional<byte[]>> values = client.getMany(keys);
            for (int i = 0; i < KEYS; i++) {
                assertEquals(new String(value(ROUNDS - 1, i), StandardCharsets.UTF_8),
                        values.get(i).map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null), "key " + i);
            }
        }
    }

    private static byte[] key(int i) {
        return String.format("key-%04d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int round, int i) {
        String head = "round-" + round + "-key-" + i + "-";
        return (head + "v".repeat(VALUE_BYTES - head.length())).getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes of every regular file under {@code dir} (their lengths, as {@code du --apparent-size}). */
    private static long diskBytes(Path dir) throws IOException {
        return files(dir, new TreeMap<>()).values().stream().mapToLong(Long::longValue).sum();
    }

    private static String listing(Path dir) throws IOException {
        return files(dir, new TreeMap<>()).toString();
    }

    /** Adds each regular file under {@code dir} with its length; a file merged away meanwhile is skipped. */
    private static Map<String, Long> files(Path dir, Map<String, Long> into) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isDirectory()) {
                        files(entry, into);
                    } else if (attributes.isRegularFile()) {
                        into.put(entry.toString(), attributes.size());
                    }
                } catch (NoSuchFileException e) {
                    // merged away while we looked
                }
            }
        }
        return into;
    }
}
