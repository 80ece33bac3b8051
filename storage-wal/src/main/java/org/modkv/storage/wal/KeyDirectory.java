package org.modkv.storage.wal;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The in-memory index of the Bitcask model: for every key, where its latest entry is on disk.
 *
 * <p><b>Why off-heap.</b> The engine is meant for tens of millions of keys. A
 * {@code HashMap<Key, Location>} costs about 100 heap bytes and three objects per key, which
 * a collector must trace and copy. Here nothing per key lives on the heap: an open-addressing
 * table of {@code long} slots (linear probing) in direct memory, each slot holding 32 bits of
 * the key's hash and a ref to a record in a {@link KeyArena} that holds the key bytes, the
 * entry's location and length, its sequence number and its checksum ({@link EntryChecksum},
 * which every read checks). Cost per key: {@value #SLOT_BYTES} bytes per slot at a load of at
 * most {@value #MAX_LOAD_PERCENT}% plus a record of 28 bytes and the key, rounded up to 8.
 * Updates allocate nothing unless the table or arena grows.
 *
 * <p><b>Deletes</b> keep the key's record, with location {@link Location#NONE} and the
 * delete's sequence number: during recovery files are loaded in any order and the highest
 * sequence number wins, so a delete must outlive older puts loaded after it; at run time a key
 * deleted and written again reuses its record, which is what lets {@link #forEachKey} visit a
 * key at most once. Deleted records are dropped when the table is rebuilt
 * ({@link #compactIfWorthIt}).
 *
 * <p><b>Threading.</b> One writer at a time (the group-commit agent, the merger, recovery)
 * brackets its changes with {@link #beginUpdate()} / {@link #endUpdate}, the write side of a
 * {@link StampedLock}; the agent holds it across every batch of a group, so a reader never sees
 * part of a batch. Readers take an optimistic read and retry when a writer got in (falling back
 * to the read lock after a few tries); a reader that raced a change may read a torn slot, so
 * the optimistic path tolerates runtime exceptions and retries. Growth replaces the table (and
 * a rebuild the arena) with new ones; readers holding the old ones still read valid memory.
 */
final class KeyDirectory {
    /** Told how many bytes of live entries a file gained or lost. */
    @FunctionalInterface
    interface LiveBytes {
        void adjust(long location, long delta);
    }

    /** A lookup's answer, reused by the caller. */
    static final class Lookup {
        long location;
        int entryLength;
        long sequence;
        /** The {@link EntryChecksum} of the entry at {@link #location}. */
        int checksum;
    }

    static final int SLOT_BYTES = 8;
    static final int MAX_LOAD_PERCENT = 70;
    private static final int MIN_CAPACITY = 1024;
    private static final int MAX_CAPACITY = 1 << 27;
    private static final int OPTIMISTIC_TRIES = 4;

    /** An immutable pairing of slots and arena; replaced whole when either is rebuilt. */
    private static final class Table {
        final UnsafeBuffer slots;
        final int mask;
        final KeyArena arena;

        Table(int capacity, KeyArena arena) {
            this.slots = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * SLOT_BYTES));
            this.mask = capacity - 1;
            this.arena = arena;
        }

        int capacity() {
            return mask + 1;
        }
    }

    private final StampedLock lock = new StampedLock();
    private final LiveBytes liveBytesListener;
    private volatile Table table;
    private boolean keepDeletes;
    // Writer-owned counters; published for other threads when an update ends, so that the
    // write path pays no memory fence per key.
    private int usedSlots;
    private long liveKeys;
    private long liveBytes;
    private long deletedKeys;
    private volatile long publishedKeys;
    private volatile long publishedLiveBytes;

    /**
     * @param expectedKeys sizes the table so that this many keys fit without growing
     * @param liveBytesListener told when entries become live or dead, per file
     */
    KeyDirectory(long expectedKeys, LiveBytes liveBytesListener) {
        this.liveBytesListener = liveBytesListener;
        this.table = new Table(capacityFor(expectedKeys), new KeyArena());
    }

    private static int capacityFor(long keys) {
        long needed = Math.max(MIN_CAPACITY, keys * 100 / MAX_LOAD_PERCENT + 1);
        if (needed > MAX_CAPACITY) {
            return MAX_CAPACITY;
        }
        return Integer.highestOneBit((int) needed - 1) << 1;
    }

    /**
     * Recovery mode: deletes of unknown keys are remembered (files load in any order). Off at
     * run time, where sequence numbers only grow.
     */
    void keepDeletes(boolean keep) {
        this.keepDeletes = keep;
    }

    // ---------------------------------------------------------------- writer side

    /** Starts a group of changes that readers see all at once. Returns the stamp for {@link #endUpdate}. */
    long beginUpdate() {
        return lock.writeLock();
    }

    void endUpdate(long stamp) {
        publish();
        lock.unlockWrite(stamp);
    }

    private void publish() {
        table.arena.publish();
        publishedKeys = liveKeys;
        publishedLiveBytes = liveBytes;
    }

    /**
     * The key's latest entry is now the put at {@code location}, unless the directory knows a
     * newer entry for the key (a higher sequence number). Entries of one batch share a sequence
     * number and are applied in order, so an equal number means a later entry of the same batch
     * (or a merge's copy of it), which wins. Writer only, inside an update.
     *
     * @param checksum the {@link EntryChecksum} of the entry
     * @return whether the directory now points at {@code location}
     */
    boolean put(DirectBuffer key, int keyOffset, int keyLength, long location, int entryLength, long sequence,
                int checksum) {
        return put(KeyHash.hash(key, keyOffset, keyLength), key, keyOffset, keyLength, location, entryLength,
                sequence, checksum);
    }

    /** {@link #put} with the key's {@link KeyHash} already computed. */
    boolean put(long hash, DirectBuffer key, int keyOffset, int keyLength, long location, int entryLength,
                long sequence, int checksum) {
        Table t = table;
        int slot = find(t, hash, key, keyOffset, keyLength);
        if (slot >= 0) {
            long ref = ref(t.slots.getLong(slot * SLOT_BYTES));
            KeyArena arena = t.arena;
            long known = arena.sequence(ref);
            long previous = arena.location(ref);
            if (known > sequence || (known == sequence && previous == location)) {
                return known == sequence;
            }
            if (previous == Location.NONE) {
                deletedKeys--;
                liveKeys++;
            } else {
                int previousLength = arena.entryLength(ref);
                liveBytesListener.adjust(previous, -previousLength);
                liveBytes -= previousLength;
            }
            arena.update(ref, entryLength, location, sequence, checksum);
        } else {
            insert(t, hash, key, keyOffset, keyLength, entryLength, location, sequence, checksum);
            liveKeys++;
        }
        liveBytesListener.adjust(location, entryLength);
        liveBytes += entryLength;
        return true;
    }

    /**
     * The key's latest entry is now a delete with {@code sequence}, unless the directory knows a
     * newer entry. Writer only, inside an update.
     */
    void delete(DirectBuffer key, int keyOffset, int keyLength, long sequence) {
        delete(KeyHash.hash(key, keyOffset, keyLength), key, keyOffset, keyLength, sequence);
    }

    /** {@link #delete} with the key's {@link KeyHash} already computed. */
    void delete(long hash, DirectBuffer key, int keyOffset, int keyLength, long sequence) {
        Table t = table;
        int slot = find(t, hash, key, keyOffset, keyLength);
        if (slot >= 0) {
            long ref = ref(t.slots.getLong(slot * SLOT_BYTES));
            KeyArena arena = t.arena;
            if (arena.sequence(ref) > sequence) {
                return;
            }
            long previous = arena.location(ref);
            if (previous != Location.NONE) {
                int previousLength = arena.entryLength(ref);
                liveBytesListener.adjust(previous, -previousLength);
                liveBytes -= previousLength;
                liveKeys--;
                deletedKeys++;
            }
            arena.update(ref, 0, Location.NONE, sequence, 0);
        } else if (keepDeletes) {
            insert(t, hash, key, keyOffset, keyLength, 0, Location.NONE, sequence, 0);
            deletedKeys++;
        }
    }

    /**
     * Loads the slot where a key with {@code hash} starts probing, and returns it, so that a
     * caller applying many keys can first touch all their slots: the cache misses then overlap
     * instead of following one another (Java has no prefetch instruction). Writer only.
     */
    long touch(long hash) {
        Table t = table;
        return t.slots.getLong((((int) (hash >>> 32)) & t.mask) * SLOT_BYTES);
    }

    /**
     * Points the key at {@code to} if it still points at {@code from} (a merge moved the
     * entry). Writer only, inside an update.
     */
    boolean relocate(DirectBuffer key, int keyOffset, int keyLength, long from, long to) {
        Table t = table;
        int slot = find(t, KeyHash.hash(key, keyOffset, keyLength), key, keyOffset, keyLength);
        if (slot < 0) {
            return false;
        }
        long ref = ref(t.slots.getLong(slot * SLOT_BYTES));
        if (t.arena.location(ref) != from) {
            return false;
        }
        int length = t.arena.entryLength(ref);
        t.arena.updateLocation(ref, to);
        liveBytesListener.adjust(from, -length);
        liveBytesListener.adjust(to, length);
        return true;
    }

    private void insert(Table t, long hash, DirectBuffer key, int keyOffset, int keyLength, int entryLength,
                        long location, long sequence, int checksum) {
        if ((long) (usedSlots + 1) * 100 > (long) t.capacity() * MAX_LOAD_PERCENT) {
            boolean dropDeletes = !keepDeletes && deletedKeys > liveKeys / 2;
            t = rebuild(dropDeletes ? t.capacity() : t.capacity() * 2, dropDeletes);
        }
        long ref = t.arena.add(key, keyOffset, keyLength, entryLength, location, sequence, checksum);
        place(t, hash, ref);
        usedSlots++;
    }

    private static void place(Table t, long hash, long ref) {
        int tag = (int) (hash >>> 32);
        int index = tag & t.mask;
        while (t.slots.getLong(index * SLOT_BYTES) != 0) {
            index = (index + 1) & t.mask;
        }
        t.slots.putLongRelease(index * SLOT_BYTES, ((long) tag << 32) | (ref >>> 3));
    }

    /**
     * Replaces the table by one of {@code capacity} slots; with {@code dropDeletes} also the
     * arena, keeping only keys that are present. Writer only, inside an update.
     */
    private Table rebuild(int capacity, boolean dropDeletes) {
        if (capacity > MAX_CAPACITY) {
            throw new IllegalStateException("the key directory is full: " + liveKeys + " keys; this engine keeps "
                    + "every key in memory and holds at most " + (long) MAX_CAPACITY * MAX_LOAD_PERCENT / 100);
        }
        Table old = table;
        KeyArena arena = dropDeletes ? new KeyArena() : old.arena;
        Table rebuilt = new Table(capacity, arena);
        int used = 0;
        for (int i = 0; i <= old.mask; i++) {
            long slot = old.slots.getLong(i * SLOT_BYTES);
            if (slot == 0) {
                continue;
            }
            long ref = ref(slot);
            if (dropDeletes) {
                KeyArena from = old.arena;
                long location = from.location(ref);
                if (location == Location.NONE) {
                    continue;
                }
                ref = arena.add(from.keyBuffer(ref), KeyArena.keyOffset(ref), from.keyLength(ref),
                        from.entryLength(ref), location, from.sequence(ref), from.checksum(ref));
            }
            int tag = (int) (slot >>> 32);
            int index = tag & rebuilt.mask;
            while (rebuilt.slots.getLong(index * SLOT_BYTES) != 0) {
                index = (index + 1) & rebuilt.mask;
            }
            rebuilt.slots.putLong(index * SLOT_BYTES, (slot & 0xFFFFFFFF00000000L) | (ref >>> 3));
            used++;
        }
        usedSlots = used;
        if (dropDeletes) {
            deletedKeys = 0;
        }
        table = rebuilt;
        return rebuilt;
    }

    /**
     * Drops the records of deleted keys when they are a good share of the table. Writer only,
     * outside recovery; takes the write lock itself.
     */
    void compactIfWorthIt() {
        long stamp = lock.writeLock();
        try {
            if (deletedKeys > 0 && deletedKeys >= liveKeys / 4) {
                rebuild(capacityFor(liveKeys), true);
            }
            publish();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    // ---------------------------------------------------------------- reader side

    /**
     * Looks {@code key} up; on a hit fills {@code out} and returns {@code true}. A deleted key
     * is a miss. Safe from any thread.
     */
    boolean find(DirectBuffer key, int keyOffset, int keyLength, Lookup out) {
        long hash = KeyHash.hash(key, keyOffset, keyLength);
        for (int attempt = 0; ; attempt++) {
            if (attempt >= OPTIMISTIC_TRIES) {
                long stamp = lock.readLock();
                try {
                    return read(table, hash, key, keyOffset, keyLength, out);
                } finally {
                    lock.unlockRead(stamp);
                }
            }
            long stamp = lock.tryOptimisticRead();
            if (stamp == 0) {
                Thread.onSpinWait();
                continue;
            }
            boolean found;
            try {
                found = read(table, hash, key, keyOffset, keyLength, out);
            } catch (RuntimeException tornRead) {
                continue;
            }
            if (lock.validate(stamp)) {
                return found;
            }
        }
    }

    private static boolean read(Table t, long hash, DirectBuffer key, int keyOffset, int keyLength, Lookup out) {
        int slot = find(t, hash, key, keyOffset, keyLength);
        if (slot < 0) {
            return false;
        }
        long ref = ref(t.slots.getLong(slot * SLOT_BYTES));
        long location = t.arena.location(ref);
        if (location == Location.NONE) {
            return false;
        }
        out.location = location;
        out.entryLength = t.arena.entryLength(ref);
        out.sequence = t.arena.sequence(ref);
        out.checksum = t.arena.checksum(ref);
        return true;
    }

    /** The slot index holding {@code key}, or -1. */
    private static int find(Table t, long hash, DirectBuffer key, int keyOffset, int keyLength) {
        int tag = (int) (hash >>> 32);
        int mask = t.mask;
        UnsafeBuffer slots = t.slots;
        int index = tag & mask;
        for (int probes = 0; probes <= mask; probes++) {
            long slot = slots.getLongVolatile(index * SLOT_BYTES);
            if (slot == 0) {
                return -1;
            }
            if ((int) (slot >>> 32) == tag && t.arena.keyEquals(ref(slot), key, keyOffset, keyLength)) {
                return index;
            }
            index = (index + 1) & mask;
        }
        return -1;
    }

    private static long ref(long slot) {
        return (slot & 0xFFFFFFFFL) << 3;
    }

    /**
     * Calls {@code visitor} with a copy of every key that has a record now (present or deleted;
     * the caller looks each one up). Each key at most once; keys added meanwhile may or may not
     * be visited. Safe from any thread; holds no lock. Sees keys added by completed updates.
     */
    void forEachKey(Consumer<byte[]> visitor) {
        KeyArena arena = table.arena;
        long end = arena.end();
        for (long ref = arena.atOrAfter(KeyArena.first(), end); ref >= 0; ref = arena.atOrAfter(arena.next(ref), end)) {
            visitor.accept(arena.key(ref));
        }
    }

    // ---------------------------------------------------------------- numbers

    /** Keys present, as of the last completed update. */
    long keyCount() {
        return publishedKeys;
    }

    /** Bytes of the entries of every present key, as of the last completed update. */
    long liveBytes() {
        return publishedLiveBytes;
    }

    /** Direct memory held by the table and the arena. */
    long offHeapBytes() {
        Table t = table;
        return (long) t.capacity() * SLOT_BYTES + t.arena.allocatedBytes();
    }

    /** Slots of the table. */
    int capacity() {
        return table.capacity();
    }
}
