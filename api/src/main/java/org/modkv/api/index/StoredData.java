package org.modkv.api.index;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.modkv.api.storage.StoredRecord;

/**
 * The node's stored data as an index may read it: live values only (replication's tombstones and
 * version metadata never appear as data). Given to an index by {@link IndexContext}, for
 * rebuilding itself and for checking candidates (for example, an exact-value index that matches
 * on a hash compares each candidate's stored value).
 *
 * <p>Threading: every method may be called from any thread; reads see committed data.
 */
public interface StoredData {

    /** The live value of {@code key}, or empty. */
    Optional<StoredRecord> get(byte[] key) throws IOException;

    /** Visits every live record once, in no particular order, on the calling thread. */
    void scan(Consumer<StoredRecord> visitor) throws IOException;

    /** The storage sequence of the last batch applied locally. */
    long lastSequence();
}
