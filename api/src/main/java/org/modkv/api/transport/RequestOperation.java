package org.modkv.api.transport;

import java.util.Locale;

/**
 * What kind of request a transport served, for the node's per-operation latency histograms.
 * Transports map their own commands onto these (RESP's {@code MGET} is a {@link #GET},
 * {@code MSET} a {@link #BATCH}, {@code PING} or {@code INFO} are {@link #OTHER}).
 */
public enum RequestOperation {
    /** Point reads, one key or many. */
    GET,
    /** A single-key write. */
    PUT,
    /** A single-key delete. */
    DELETE,
    /** An atomic multi-key write. */
    BATCH,
    /** An index query. */
    QUERY,
    /** Everything else: handshakes, pings, stats, admin commands. */
    OTHER;

    /** The lower-case name used in stats and metric labels ({@code get}, {@code put}, ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
