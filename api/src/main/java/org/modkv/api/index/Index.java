package org.modkv.api.index;

import java.util.List;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.WriteBatch;

/**
 * A secondary index over committed data.
 *
 * <p>Threading: the kernel calls {@link #apply} and {@link #clear} from one applier thread
 * per index, in sequence order; {@link #query} may be called from any thread at the same time.
 */
public interface Index extends AutoCloseable {

    /** Applies one committed batch. The batch is valid only during the call. */
    void apply(long sequence, WriteBatch batch);

    /**
     * The sequence number of the last batch applied. After a restart, an index that keeps no
     * state of its own answers 0 and the kernel rebuilds it from a storage scan.
     */
    long appliedSequence();

    /** Forgets everything, before the kernel rebuilds the index from a storage scan. */
    void clear();

    /**
     * Answers a query, best hits first.
     *
     * @throws ModkvException with {@code INVALID_REQUEST} for an operation or option the
     *     index does not know; the message lists what it does know
     */
    List<ScoredKey> query(IndexQuery query);

    @Override
    void close();
}
