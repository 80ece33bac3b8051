package org.modkv.storage.perkey;

import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Reader/writer locks by key hash. A reader holds its key's stripe in read mode for a lookup;
 * a batch holds the stripes of all its keys in write mode while it becomes visible. Stripes
 * are always taken in increasing index order, so two writers can never deadlock.
 */
final class StripedLocks {
    private final ReentrantReadWriteLock[] stripes;

    StripedLocks(int count) {
        stripes = new ReentrantReadWriteLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    int stripeOf(KeyBytes key) {
        int h = key.hashCode() * 0x9E3779B9;
        return Math.floorMod(h ^ (h >>> 16), stripes.length);
    }

    Lock readLock(KeyBytes key) {
        return stripes[stripeOf(key)].readLock();
    }

    /** The distinct stripes of {@code keys}, sorted: the order {@link #lockAll} takes them in. */
    int[] stripesOf(KeyBytes[] keys) {
        int[] indexes = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            indexes[i] = stripeOf(keys[i]);
        }
        Arrays.sort(indexes);
        int distinct = 0;
        for (int i = 0; i < indexes.length; i++) {
            if (i == 0 || indexes[i] != indexes[i - 1]) {
                indexes[distinct++] = indexes[i];
            }
        }
        return Arrays.copyOf(indexes, distinct);
    }

    /** Takes the write locks of {@code sortedStripes} in order. */
    void lockAll(int[] sortedStripes) {
        for (int stripe : sortedStripes) {
            stripes[stripe].writeLock().lock();
        }
    }

    void unlockAll(int[] sortedStripes) {
        for (int i = sortedStripes.length - 1; i >= 0; i--) {
            stripes[sortedStripes[i]].writeLock().unlock();
        }
    }

    /** Takes every stripe's read lock, in order: no batch is being published until {@link #unlockAllReads}. */
    void lockAllReads() {
        for (ReentrantReadWriteLock stripe : stripes) {
            stripe.readLock().lock();
        }
    }

    void unlockAllReads() {
        for (int i = stripes.length - 1; i >= 0; i--) {
            stripes[i].readLock().unlock();
        }
    }
}
