package org.modkv.api.index;

import java.io.IOException;
import java.util.Map;
import org.modkv.api.storage.WriteBatch;

/**
 * A secondary index over committed data. See docs/design/indexes.md for the pipeline that feeds
 * it.
 *
 * <p>Threading: the kernel calls {@link #apply}, {@link #resync}, {@link #clear} and
 * {@link #commit} from one applier thread per index, in sequence order; {@link #query} runs on
 * the kernel's query executor, concurrently with them and with other queries. An index that
 * says {@link #commitsConcurrently()} gets its periodic commits from a committer thread of their
 * own instead, concurrently with {@link #apply}.
 *
 * <p>Ownership: a batch passed to {@link #apply} is lent for the duration of the call; the index
 * copies whatever it keeps (the kernel may reuse the batch afterwards).
 */
public interface Index extends AutoCloseable {

    /**
     * Applies one committed batch. If it throws, the kernel marks the index failed (its queries
     * get an {@code INDEX_NOT_READY} error instead of possibly wrong answers) and rebuilds it
     * with {@link #resync}.
     */
    void apply(long sequence, WriteBatch batch);

    /**
     * The sequence of the last batch applied. Right after {@link IndexProvider#open}, the
     * sequence the index's own durable state holds (its last {@link #commit}), or 0 for an index
     * that keeps no state of its own; the kernel then catches it up with {@link #resync}.
     */
    long appliedSequence();

    /**
     * Makes the index's content equal to {@code data} as of {@code sequence}: at start-up when
     * the index's last commit is not storage's last sequence, after its queue overflowed, after
     * replication replaced storage's content (a snapshot install), and to repair a failed index.
     * Writes committed after {@code sequence} follow through {@link #apply}.
     *
     * <p>The default forgets everything and applies a full scan. An index that can tell which of
     * its documents are unchanged (for example from a stored value hash) overrides it to
     * re-index only what differs and to delete what is gone.
     */
    default void resync(long sequence, StoredData data) throws IOException {
        clear();
        WriteBatch batch = new WriteBatch();
        data.scan(record -> {
            batch.put(record.key(), record.value(), record.metadata());
            if (batch.size() >= 1024) {
                apply(sequence, batch);
                batch.clear();
            }
        });
        apply(sequence, batch);
    }

    /** Forgets everything. */
    void clear();

    /**
     * Makes what has been applied durable, so that a restart catches up only what came after.
     * The kernel calls it every {@code index.commit.interval.ms} and at shutdown. The default
     * does nothing (an index that keeps no files).
     */
    default void commit() throws IOException {
    }

    /**
     * Whether {@link #commit} may run on a thread of its own while {@link #apply} goes on, so
     * that a long commit (a Lucene flush and fsync, say) never holds up applies. The kernel then
     * never runs a commit alongside {@link #resync}, {@link #clear} or another commit. Such a
     * commit must make durable at least every {@code apply} that returned before it began, and
     * record as its sequence one whose applies it holds (reading {@link #appliedSequence} first
     * is enough: a restart re-applies from there, and re-applying a batch is harmless). The
     * default is {@code false}: commits run on the applier thread, between applies.
     */
    default boolean commitsConcurrently() {
        return false;
    }

    /**
     * Answers a query.
     *
     * @throws org.modkv.api.ModkvException with {@code INVALID_REQUEST} for an operation, an
     *     option or a syntax the index does not take; the message says what was wrong and what
     *     is allowed
     */
    IndexResult query(IndexQuery query);

    /** Figures for stats, INFO and {@code /metrics} (documents, memory, ...), in a stable order. */
    default Map<String, Object> stats() {
        return Map.of();
    }

    @Override
    void close();
}
