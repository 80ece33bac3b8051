package org.modkv.node.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executor;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;

/**
 * Every live key of the node in unsigned byte order, for ordered range reads (docs/design/kv-api.md):
 * storage engines keep keys in hash order or in files, so the kernel keeps this directory itself.
 * A {@link CommitListener}: it hears each applied batch in sequence order, as storage reflects it.
 *
 * <p>Built lazily, on the first range read, from a storage scan on another thread (so a node
 * that never lists keys pays nothing, and the commit path never waits for the scan): batches
 * committed during the scan are kept and replayed on top of it. Costs one copy of every key in
 * memory plus a skip-list node (about 50 bytes) per key once built. Thread-safe.
 */
public final class OrderedKeys implements CommitListener {
    private record Change(byte[] key, boolean present) {
    }

    private final StorageEngine storage;
    private final Executor builder;
    private final NavigableSet<byte[]> keys = new ConcurrentSkipListSet<>(Arrays::compareUnsigned);
    private final Object lock = new Object();
    private volatile boolean built;
    /** Changes committed while a build scans; null when no build runs. Guarded by {@code lock}. */
    private List<Change> duringBuild;
    /** Bumped when storage is replaced, so that a build in progress starts over. Guarded by {@code lock}. */
    private long generation;
    private CompletableFuture<Void> building;

    public OrderedKeys(StorageEngine storage, Executor builder) {
        this.storage = storage;
        this.builder = builder;
    }

    @Override
    public void committed(long sequence, WriteBatch batch) {
        if (built) {
            apply(batch, null);
            return;
        }
        synchronized (lock) {
            if (built) {
                apply(batch, null);
            } else if (duringBuild != null) {
                apply(batch, duringBuild);
            }
        }
    }

    @Override
    public void reset(long sequence) {
        synchronized (lock) {
            generation++;
            built = false;
            keys.clear();
            if (duringBuild != null) {
                duringBuild.clear();
            }
            building = null;
        }
    }

    /** The keys from {@code start} on, once the directory is built (at once after the first time). */
    public CompletableFuture<Iterator<byte[]>> from(byte[] start) {
        return ready().thenApply(ignored -> keys.tailSet(start, true).iterator());
    }

    /** Number of keys, once built; -1 before. */
    public long size() {
        return built ? keys.size() : -1;
    }

    private CompletableFuture<Void> ready() {
        if (built) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lock) {
            if (built) {
                return CompletableFuture.completedFuture(null);
            }
            if (building == null) {
                duringBuild = new ArrayList<>();
                long startedAt = generation;
                building = CompletableFuture.runAsync(() -> build(startedAt), builder);
            }
            return building;
        }
    }

    private void build(long startedAt) {
        NavigableSet<byte[]> scanned = new java.util.TreeSet<>(Arrays::compareUnsigned);
        try {
            storage.scan(record -> scanned.add(record.key()));
        } catch (IOException e) {
            synchronized (lock) {
                building = null;
                duringBuild = null;
            }
            throw new UncheckedIOException(e);
        }
        synchronized (lock) {
            if (generation != startedAt) {
                building = null; // storage was replaced meanwhile: the next range read builds again
                duringBuild = null;
                throw new IllegalStateException("storage was replaced while the key directory was built; retry");
            }
            for (Change change : duringBuild) {
                if (change.present()) {
                    scanned.add(change.key());
                } else {
                    scanned.remove(change.key());
                }
            }
            keys.addAll(scanned);
            duringBuild = null;
            built = true;
        }
    }

    private void apply(WriteBatch batch, List<Change> log) {
        batch.forEach((type, buffer, ko, kl, vo, vl, mo, ml) -> {
            byte[] key = Arrays.copyOfRange(buffer, ko, ko + kl);
            boolean present = type == MutationType.PUT;
            if (log != null) {
                log.add(new Change(key, present));
            } else if (present) {
                keys.add(key);
            } else {
                keys.remove(key);
            }
        });
    }
}
