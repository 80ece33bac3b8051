package org.modkv.client;

import java.util.List;
import java.util.Optional;

/**
 * One page of an ordered key listing ({@link ModkvClient#range}): entries in unsigned byte order
 * of their keys, and where the next page starts.
 *
 * @param entries the page's keys with values, versions and expiries
 * @param next the start key of the next page, empty when the range holds no more keys
 */
public record KeyPage(List<Entry> entries, Optional<byte[]> next) {

    /** A listed key; {@code value} is empty when only keys were asked for. */
    public record Entry(byte[] key, byte[] value, long version, long expiresAtMillis) {
    }

    public KeyPage {
        entries = List.copyOf(entries);
    }
}
