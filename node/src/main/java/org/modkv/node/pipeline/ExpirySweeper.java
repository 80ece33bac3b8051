package org.modkv.node.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.modkv.api.kv.Condition;
import org.modkv.api.kv.ConditionalWrite;
import org.modkv.api.kv.RecordHeader;
import org.modkv.api.kv.WriteOutcome;
import org.modkv.api.replication.CommitListener;
import org.modkv.api.replication.ReplicationRole;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.time.Clock;

/**
 * Deletes expired keys in the background, so that they do not hold disk forever (reads already
 * hide them, docs/design/kv-api.md). A {@link CommitListener}: it remembers every put that
 * carries an expiry, in expiry order; storage is scanned once, at the first sweep, for keys that
 * were written with an expiry before this node started.
 *
 * <p>Every {@code node.expiry.sweep.interval.ms} a node that decides writes (standalone, or the
 * Raft leader) deletes up to {@code node.expiry.sweep.max.deletes} keys whose expiry has passed,
 * each with an ordinary conditional write: delete if the key still has the version that expired
 * ({@link Condition#expiredAtVersion}). Under Raft that delete is replicated and decided in log
 * order with the leader's clock, so replicas never disagree, and a key written again meanwhile
 * is left alone. Followers keep remembering, so a new leader sweeps at once. Runs on its own
 * thread.
 */
public final class ExpirySweeper implements CommitListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ExpirySweeper.class.getName());

    /** A put's expiry, as remembered. */
    private record Due(long expiresAtMillis, byte[] key, long version) {
    }

    private static final Comparator<Due> ORDER = Comparator.comparingLong(Due::expiresAtMillis)
            .thenComparing(Due::key, Arrays::compareUnsigned).thenComparingLong(Due::version);

    private final StorageEngine storage;
    private final Function<ConditionalWrite, CompletableFuture<WriteOutcome>> writeIf;
    private final Supplier<ReplicationRole> role;
    private final Clock clock;
    private final int maxDeletes;
    private final NavigableSet<Due> due = new ConcurrentSkipListSet<>(ORDER);
    private final ScheduledExecutorService thread;
    private final AtomicLong deleted = new AtomicLong();
    private volatile boolean scanNeeded = true;

    /**
     * @param writeIf the kernel's conditional write
     * @param role this node's replication role now
     */
    public ExpirySweeper(StorageEngine storage, Function<ConditionalWrite, CompletableFuture<WriteOutcome>> writeIf,
                         Supplier<ReplicationRole> role, Clock clock, long intervalMs, int maxDeletes, String nodeId) {
        this.storage = storage;
        this.writeIf = writeIf;
        this.role = role;
        this.clock = clock;
        this.maxDeletes = maxDeletes;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "modkv-expiry-sweeper-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::sweepQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void committed(long sequence, WriteBatch batch) {
        batch.forEach((type, buffer, ko, kl, vo, vl, mo, ml) -> {
            // Every put carries a header; only one that expires costs an allocation here.
            if (type == MutationType.PUT && RecordHeader.expiresAtMillis(buffer, mo, ml) != RecordHeader.NO_EXPIRY) {
                RecordHeader header = RecordHeader.of(buffer, mo, ml);
                due.add(new Due(header.expiresAtMillis(), Arrays.copyOfRange(buffer, ko, ko + kl), header.version()));
            }
        });
    }

    /** Storage was replaced: look through it again at the next sweep. */
    @Override
    public void reset(long sequence) {
        scanNeeded = true;
    }

    /** Figures for stats. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("expiring_keys_tracked", due.size());
        stats.put("expired_keys_deleted", deleted.get());
        return stats;
    }

    /**
     * One sweep: deletes what has expired, up to the per-sweep maximum; answers how many it
     * deleted. Public for tests; the sweeper's thread calls it on its interval.
     */
    public int sweep() throws IOException {
        ReplicationRole now = role.get();
        if (now != ReplicationRole.LEADER && now != ReplicationRole.STANDALONE) {
            return 0;
        }
        if (scanNeeded) {
            scanNeeded = false;
            storage.scan(record -> {
                RecordHeader header = RecordHeader.of(record);
                if (header.expiresAtMillis() != RecordHeader.NO_EXPIRY) {
                    due.add(new Due(header.expiresAtMillis(), record.key(), header.version()));
                }
            });
        }
        long nowMillis = clock.currentTimeMillis();
        List<Due> expired = new ArrayList<>();
        for (Due entry : due) {
            if (entry.expiresAtMillis() > nowMillis || expired.size() >= maxDeletes) {
                break;
            }
            expired.add(entry);
        }
        List<CompletableFuture<WriteOutcome>> deletes = new ArrayList<>(expired.size());
        for (Due entry : expired) {
            deletes.add(writeIf.apply(new ConditionalWrite(List.of(Condition.expiredAtVersion(entry.key(), entry.version())),
                    new WriteBatch().delete(entry.key()))));
        }
        int count = 0;
        for (int i = 0; i < deletes.size(); i++) {
            try {
                if (deletes.get(i).join().applied()) {
                    count++;
                }
                due.remove(expired.get(i)); // deleted, or written again / deleted by someone else
            } catch (RuntimeException e) {
                // Not leading any more, or unavailable: keep it for a later sweep.
                LOG.log(System.Logger.Level.DEBUG, "expiry sweep delete failed; will retry", e);
            }
        }
        deleted.addAndGet(count);
        return count;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (IOException | RuntimeException e) {
            scanNeeded = true;
            LOG.log(System.Logger.Level.WARNING, "expiry sweep failed; retrying at the next interval", e);
        }
    }

    /** Stops sweeping, waiting (up to 10 s) for a sweep in progress, which may be scanning storage. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "the expiry sweep did not stop within 10 s");
        }
    }
}
