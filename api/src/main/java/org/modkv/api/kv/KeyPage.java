package org.modkv.api.kv;

import java.util.List;

/**
 * One page of a {@link KeyRange}: entries in key order, and where the next page starts.
 *
 * @param entries the live keys of the page, in unsigned byte order, at most the range's limit
 * @param next the start of the next page ({@link KeyRange#from}), or {@code null} when the range
 *     holds no more keys
 */
public record KeyPage(List<KeyEntry> entries, byte[] next) {
    public KeyPage {
        entries = List.copyOf(entries);
    }

    /** Whether more keys may follow. */
    public boolean more() {
        return next != null;
    }
}
