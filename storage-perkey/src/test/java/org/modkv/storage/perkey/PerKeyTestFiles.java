package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/** Helpers for the engine-specific tests: open with options, write, look at and damage files. */
final class PerKeyTestFiles {
    private PerKeyTestFiles() {
    }

    static PerKeyOptions options(Map<String, String> values) {
        return PerKeyOptions.from(PerKeyOptions.SCHEMA.bind(values));
    }

    /**
     * Writes acknowledged once their intent is durable ({@code perkey.ack=intent}), and a flusher
     * that waits a minute: acknowledged writes stay in the intent log.
     */
    static PerKeyOptions holdingFlushes() {
        return options(Map.of("perkey.ack", "intent", "perkey.flush.delay.ms", "60000"));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static long write(StorageEngine engine, WriteBatch batch) {
        try {
            return engine.write(batch, Durability.DURABLE).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("write failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    static long put(StorageEngine engine, String key, String value) {
        return write(engine, new WriteBatch().put(bytes(key), bytes(value)));
    }

    /** The value of {@code key} as text, or {@code null}. */
    static String value(StorageEngine engine, String key) throws IOException {
        Optional<StoredRecord> record = engine.get(bytes(key));
        return record.map(r -> new String(r.value(), StandardCharsets.UTF_8)).orElse(null);
    }

    /** Copies a data directory tree as a crash would leave it (the engine may still be open). */
    static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!path.getFileName().toString().equals(DataLayout.LOCK_FILE)) {
                    Files.copy(path, target);
                }
            }
        }
        return to;
    }

    static List<Path> intentFiles(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve(DataLayout.INTENTS_DIR))) {
            return files.sorted().toList();
        }
    }

    static List<Path> filesUnder(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** Where {@code key}'s file is in a data directory with the default fan-out. */
    static Path keyFile(Path dataDir, String key) {
        return new KeyFileStore(dataDir.resolve(DataLayout.KEYS_DIR), 2, new FileSync(false)).pathOf(bytes(key));
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] content = Files.readAllBytes(file);
        content[(int) offset] ^= 0x5a;
        Files.write(file, content);
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }
}
