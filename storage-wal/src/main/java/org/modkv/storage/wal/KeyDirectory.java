package org.modkv.storage.wal;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.WriteBatch;

/**
 * The in-memory index of the Bitcask model: every live key and where its latest value is in
 * the log. Deleted keys are simply absent.
 *
 * <p>Threading: {@link #apply} is called by one thread at a time (recovery, then the
 * group-commit writer), in sequence order, and holds the write side of a {@link StampedLock}
 * while it changes the map, so a batch becomes visible to {@link #get} all at once: a reader
 * never sees some keys of a batch without the others. Lookups take an optimistic read and
 * fall back to the read lock only when a batch was published meanwhile; no lock is held
 * across I/O. The writer applies a batch before completing it, so a read that starts after a
 * completion sees the batch. {@link #forEach} is weakly consistent and takes no lock.
 */
final class KeyDirectory {
    private static final byte[] NO_METADATA = new byte[0];

    private final ConcurrentHashMap<KeyBytes, ValueLocation> entries = new ConcurrentHashMap<>();
    private final StampedLock publication = new StampedLock();
    private volatile long liveBytes;
    private volatile long count;

    /**
     * Applies every entry of the write frame {@code frame}, which starts at {@code frameOffset}
     * of {@code segment}.
     */
    void apply(byte[] frame, int frameLength, WalSegment segment, long frameOffset) {
        long stamp = publication.writeLock();
        try {
            applyEntries(frame, frameLength, segment, frameOffset);
        } finally {
            publication.unlockWrite(stamp);
        }
    }

    private void applyEntries(byte[] frame, int frameLength, WalSegment segment, long frameOffset) {
        WriteBatch.visit(frame, WalRecordFormat.BATCH_OFFSET, frameLength - WalRecordFormat.BATCH_OFFSET,
                (type, buffer, keyOffset, keyLength, valueOffset, valueLength, metadataOffset, metadataLength) -> {
                    KeyBytes key = KeyBytes.copyOf(buffer, keyOffset, keyLength);
                    if (type == MutationType.PUT) {
                        byte[] metadata = metadataLength == 0 ? NO_METADATA
                                : Arrays.copyOfRange(buffer, metadataOffset, metadataOffset + metadataLength);
                        ValueLocation location = new ValueLocation(segment, frameOffset + valueOffset, valueLength,
                                metadata);
                        ValueLocation previous = entries.put(key, location);
                        liveBytes += bytes(key, location) - (previous == null ? 0 : bytes(key, previous));
                        if (previous == null) {
                            count++;
                        }
                    } else {
                        ValueLocation previous = entries.remove(key);
                        if (previous != null) {
                            liveBytes -= bytes(key, previous);
                            count--;
                        }
                    }
                });
    }

    private static long bytes(KeyBytes key, ValueLocation location) {
        return (long) key.length() + location.valueLength() + location.metadata().length;
    }

    ValueLocation get(byte[] key) {
        KeyBytes wrapped = KeyBytes.wrap(key);
        long stamp = publication.tryOptimisticRead();
        ValueLocation location = entries.get(wrapped);
        if (publication.validate(stamp)) {
            return location;
        }
        stamp = publication.readLock();
        try {
            return entries.get(wrapped);
        } finally {
            publication.unlockRead(stamp);
        }
    }

    /** Visits the entries present when it starts and maybe some added later. */
    void forEach(BiConsumer<KeyBytes, ValueLocation> visitor) {
        for (Map.Entry<KeyBytes, ValueLocation> entry : entries.entrySet()) {
            visitor.accept(entry.getKey(), entry.getValue());
        }
    }

    long count() {
        return count;
    }

    /** Bytes of key, value and metadata of every live record. */
    long liveBytes() {
        return liveBytes;
    }
}
