package org.modkv.testkit.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.modkv.api.storage.Durability;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.WriteCompletion;

/**
 * Blocking helpers for storage tests: write and wait, read, list a scan by hex key. Used by
 * {@link StorageEngineContract} and available to plugin authors' own storage tests. Every wait
 * is bounded by {@link #WAIT_SECONDS} and fails the test with the engine's reason.
 */
public final class StorageTestOperations {
    /** Upper bound of every wait, so a hung engine fails the test instead of hanging it. */
    public static final long WAIT_SECONDS = 120;

    private static final HexFormat HEX = HexFormat.of();

    private StorageTestOperations() {
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** Writes {@code batch} and waits for its completion; returns its sequence number. */
    public static long write(StorageEngine e, WriteBatch batch, Durability durability) {
        return await(e.write(batch, durability));
    }

    public static long put(StorageEngine e, byte[] key, byte[] value) {
        return write(e, new WriteBatch().put(key, value), Durability.DURABLE);
    }

    public static long delete(StorageEngine e, byte[] key) {
        return write(e, new WriteBatch().delete(key), Durability.DURABLE);
    }

    /** The value stored for {@code key}, or {@code null}. */
    public static byte[] valueOf(StorageEngine e, byte[] key) throws IOException {
        Optional<StoredRecord> record = e.get(key);
        if (record.isPresent()) {
            assertArrayEquals(key, record.get().key(), "get returned a record for another key");
            return record.get().value();
        }
        return null;
    }

    /** Every record a scan returns, by hex key; fails if the scan returns a key twice. */
    public static Map<String, StoredRecord> contents(StorageEngine e) throws IOException {
        Map<String, StoredRecord> out = new TreeMap<>();
        e.scan(record -> {
            StoredRecord previous = out.put(HEX.formatHex(record.key()), record);
            if (previous != null) {
                fail("scan returned key " + HEX.formatHex(record.key()) + " twice");
            }
        });
        return out;
    }

    /** Waits for a write; fails the test with the engine's reason if it failed. */
    public static long await(CompletableFuture<Long> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("write failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("write did not complete within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static <T> T join(Future<T> future) throws Exception {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }

    /** Offers until the engine accepts, parking between tries for at most {@link #WAIT_SECONDS}. */
    static void offer(StorageEngine e, WriteBatch batch, Durability durability, WriteCompletion completion) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!e.offer(batch, durability, completion)) {
            if (System.nanoTime() > deadline) {
                fail("engine refused a write for " + WAIT_SECONDS + " s");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    public static StoredRecord record(byte[] key, byte[] value, byte[] metadata) {
        return new StoredRecord(key, value, metadata);
    }

    /** {@code records} keyed as {@link #contents} keys them, to compare with a scan. */
    public static Map<String, StoredRecord> expected(StoredRecord... records) {
        Map<String, StoredRecord> out = new TreeMap<>();
        for (StoredRecord r : records) {
            out.put(HEX.formatHex(r.key()), r);
        }
        return out;
    }
}
