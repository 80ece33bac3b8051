package org.modkv.storage.perkey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * Acknowledged changes that are not yet in their key files, by key: what reads consult before
 * the files. A batch becomes visible here all at once ({@link #publish}, under the write locks
 * of all its keys' stripes; a lookup takes its key's stripe in read mode), so a reader never
 * sees half a batch. The flusher writes a record's key file and only then removes the record
 * ({@link #removeFlushed}), and only if no newer record replaced it: a key with no record here
 * therefore has an up-to-date file.
 *
 * <p>Threads: one publisher (the committer), one remover (the flusher), any number of readers.
 */
final class WriteOverlay {
    private final ConcurrentHashMap<KeyBytes, PendingRecord> records = new ConcurrentHashMap<>();
    private final StripedLocks locks;
    private final AtomicLong bytes = new AtomicLong();

    WriteOverlay(int stripes) {
        this.locks = new StripedLocks(stripes);
    }

    /** The pending record for {@code key}, or null if its file is current. */
    PendingRecord lookup(KeyBytes key) {
        Lock lock = locks.readLock(key);
        lock.lock();
        try {
            return records.get(key);
        } finally {
            lock.unlock();
        }
    }

    /** The pending record for {@code key} without taking a lock; for the single publisher only. */
    PendingRecord peek(KeyBytes key) {
        return records.get(key);
    }

    /** Makes the records of one batch visible at once; later records for a key win. */
    void publish(List<PendingRecord> batch) {
        KeyBytes[] keys = new KeyBytes[batch.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = batch.get(i).key;
        }
        int[] stripes = locks.stripesOf(keys);
        locks.lockAll(stripes);
        try {
            for (PendingRecord record : batch) {
                PendingRecord previous = records.put(record.key, record);
                bytes.addAndGet(record.bytes() - (previous == null ? 0 : previous.bytes()));
            }
        } finally {
            locks.unlockAll(stripes);
        }
    }

    /** The records at this moment (a batch being published may be partly in it). */
    List<PendingRecord> snapshot() {
        return new ArrayList<>(records.values());
    }

    /** A copy of the map between two batches (never part of one), for a scan. */
    Map<KeyBytes, PendingRecord> copy() {
        locks.lockAllReads();
        try {
            return new HashMap<>(records);
        } finally {
            locks.unlockAllReads();
        }
    }

    /** Removes each of {@code flushed} whose key still maps to that very record. */
    void removeFlushed(List<PendingRecord> flushed) {
        for (PendingRecord record : flushed) {
            if (records.remove(record.key, record)) {
                bytes.addAndGet(-record.bytes());
            }
        }
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    int size() {
        return records.size();
    }

    /** Bytes held, as counted against {@code perkey.pending.bytes}. */
    long bytes() {
        return bytes.get();
    }
}
