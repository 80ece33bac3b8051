package org.modkv.bench;

import java.util.List;
import org.modkv.client.KeyValue;

/**
 * One connection to the system under test. The request methods return at once and report
 * through {@code done} (see {@link Completion} for when and where).
 *
 * <p><b>Threading.</b> Thread-safe. <b>Ownership.</b> Arrays passed in are read (encoded or
 * copied) before the call returns, so a caller may reuse its key buffers for the next request.
 * A target that is closed, or whose connection was lost, fails every request.
 */
interface KeyValueTarget extends AutoCloseable {

    /** Reads {@code key}. */
    void get(byte[] key, Completion done);

    /** Writes {@code value} under {@code key}. */
    void put(byte[] key, byte[] value, Completion done);

    /** Writes all {@code entries} in one atomic request. */
    void bulkPut(List<KeyValue> entries, Completion done);

    /** Full-text search for keys whose values contain {@code word}. */
    void search(SearchWord word, Completion done);

    /** {@code host:port} this target is connected to. */
    String address();

    /** Closes the connection; pending requests fail. Idempotent. */
    @Override
    void close();
}
