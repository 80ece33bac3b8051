package org.modkv.transport.resp;

import org.modkv.api.transport.RequestOperation;

/**
 * What a connection needs to know about a request's command, worked out once per command name
 * when the {@link CommandTable} is built, so serving a request takes one lookup.
 *
 * @param spec the command, or {@code null} for an unknown name
 * @param operation what it counts as in the node's latency histograms
 * @param writes whether it changes data (a connection orders later reads after it)
 * @param observesEarlierWrites whether it must wait for the connection's unfinished writes
 */
record ResolvedCommand(CommandSpec spec, RequestOperation operation, boolean writes, boolean observesEarlierWrites) {
    /** An unknown command name: answered with an error at once. */
    static final ResolvedCommand UNKNOWN = new ResolvedCommand(null, RequestOperation.OTHER, false, false);
}
